export * from './canonical';
export { detectFormat, readExport } from './read-export';
export { conversationItems } from './read-unit';
export { conversationStats, countWords, summarize, type ConversationStats } from './conversation-stats';
export { htmlToText } from './html-to-text';
export { parseChatGPTConversation } from './formats/chatgpt';
export { parseClaudeConversation } from './formats/claude';
export {
  parseGeminiActivity,
  parseGeminiActivityRow,
  type GeminiActivity,
  type GeminiRowOutcome,
  type GeminiTurn,
} from './formats/gemini';
export { parseOpenWebUIChat } from './formats/open-webui';
export { parseLibreChatConversation } from './formats/librechat';
export { parseOpenAIConversation } from './formats/openai';
export { parseMarkdownTranscript, type MarkdownTranscriptOptions } from './formats/markdown';
export {
  CHATSYNTH_EXPORT_VERSION,
  parseChatSynthLog,
  readCanonicalMessage,
  type ChatSynthAnnotation,
  type ChatSynthExport,
  type ChatSynthExportedLog,
  type ChatSynthImportedMetadata,
  type ChatSynthSingleExport,
} from './formats/chatsynth';
