/** Builds ChatGPT `conversations.json` entries shaped like the real export (mapping tree, current_node). */
export type Turn = { user: string; assistant: string };

export function chatgptConversation(options: { id: string; title: string; turns: Turn[]; createTime?: number; model?: string }) {
  const createTime = options.createTime ?? 1_700_000_000.5;
  const mapping: Record<string, unknown> = {};
  const rootId = `${options.id}-root`;
  const systemId = `${options.id}-system`;
  mapping[rootId] = { id: rootId, message: null, parent: null, children: [systemId] };
  mapping[systemId] = {
    id: systemId,
    message: {
      id: systemId,
      author: { role: 'system', name: null, metadata: {} },
      create_time: null,
      update_time: null,
      content: { content_type: 'text', parts: [''] },
      status: 'finished_successfully',
      end_turn: true,
      weight: 0,
      metadata: { is_visually_hidden_from_conversation: true },
      recipient: 'all',
    },
    parent: rootId,
    children: [],
  };
  let parent = systemId;
  let time = createTime;
  options.turns.forEach((turn, i) => {
    for (const [role, text] of [
      ['user', turn.user],
      ['assistant', turn.assistant],
    ] as const) {
      const id = `${options.id}-${role}-${i}`;
      (mapping[parent] as { children: string[] }).children.push(id);
      time += 7.25;
      mapping[id] = {
        id,
        message: {
          id,
          author: { role, name: null, metadata: {} },
          create_time: time,
          update_time: null,
          content: { content_type: 'text', parts: [text] },
          status: 'finished_successfully',
          end_turn: role === 'assistant' ? true : null,
          weight: 1,
          metadata: role === 'assistant' ? { model_slug: options.model ?? 'gpt-4o', finish_details: { type: 'stop' } } : {},
          recipient: 'all',
        },
        parent,
        children: [],
      };
      parent = id;
    }
  });
  return {
    title: options.title,
    create_time: createTime,
    update_time: time,
    mapping,
    moderation_results: [],
    current_node: parent,
    plugin_ids: null,
    conversation_id: options.id,
    conversation_template_id: null,
    gizmo_id: null,
    is_archived: false,
    safe_urls: [],
    default_model_slug: options.model ?? 'gpt-4o',
    id: options.id,
  };
}
