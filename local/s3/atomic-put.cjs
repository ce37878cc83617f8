// Preloaded into s3rver (node --require). S3's PutObject is atomic: a reader sees the old object
// or the new one, and of two writes of one key at once the last wins whole. s3rver writes into
// the object's file in place, so two writes at once leave a file that is neither (measured: a
// profile written by two requests at once became unreadable JSON) and a read meanwhile sees
// half of one. Here each write goes to a file of its own, renamed over the object when
// complete. Its name does not end like an object's, so a listing never shows it.
const { createHash } = require('node:crypto');
const { createWriteStream } = require('node:fs');
const { mkdir, rename } = require('node:fs/promises');
const path = require('node:path');
const { pipeline } = require('node:stream/promises');
const FilesystemStore = require('s3rver/lib/stores/filesystem');

let writes = 0;

FilesystemStore.prototype.putObject = async function putObject(object) {
  const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
  await mkdir(path.dirname(objectPath), { recursive: true });
  const scratch = `${objectPath}.${process.pid}-${++writes}.writing`;
  const md5 = createHash('md5');
  let size = 0;
  const source = Buffer.isBuffer(object.content) ? [object.content] : object.content;
  await pipeline(
    source,
    async function* count(chunks) {
      for await (const chunk of chunks) {
        md5.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    },
    createWriteStream(scratch),
  );
  await rename(scratch, objectPath);
  const digest = md5.digest('hex');
  await this.putMetadata(object.bucket, object.key, object.metadata, digest);
  return { size, md5: digest };
};
