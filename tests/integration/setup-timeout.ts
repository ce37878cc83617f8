// A test here talks to a whole local stack (and sometimes starts one): give it room. (jest's
// testTimeout is a global option; per project it has to be set like this.)
jest.setTimeout(30_000);
