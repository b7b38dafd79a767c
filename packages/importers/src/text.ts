// The parsers of pasted or typed text, for the browser (`@chatsynth/importers/text`): pure functions
// over a string or a parsed JSON value. Nothing this module imports, however indirectly, may use
// Node's APIs, yauzl or @streamparser/json; test/browser-safe.test.ts holds it to that.
export { parseMarkdownTranscript, type MarkdownTranscriptOptions } from './formats/markdown';
export { parseOpenAIConversation } from './formats/openai';
