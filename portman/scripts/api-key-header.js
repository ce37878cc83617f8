// Collection pre-request script (Postman and newman): with an API key in the apiKey variable,
// every request to the API carries it in x-api-key, as a stack deployed with
// ApiKeyRequired=true wants; with apiKey empty (the default) requests go out as before. Read the
// key's value with the AWS CLI (README: API keys) and keep it in an environment, as a secret.
const apiKey = pm.variables.get('apiKey');
if (apiKey) pm.request.headers.upsert({ key: 'x-api-key', value: apiKey });
