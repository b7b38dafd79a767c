// Builders of real-shaped exports for tests and benchmarks elsewhere in the monorepo.
export { chatgptConversation, type Turn } from './testing/chatgpt-export';
