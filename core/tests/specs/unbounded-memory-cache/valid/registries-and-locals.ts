// Fixed keys, start-up registration and function-local maps are not caches that grow.
const handlers = new Map<string, () => void>();
handlers.set('ping', () => {});
handlers.set('pong', () => {});

const settings: Record<string, string> = {};
export function configure() {
  settings['region'] = 'eu';
  settings['tier'] = 'free';
  return settings['region'];
}

export function dedupe(items: string[]) {
  const seen = new Map<string, boolean>();
  for (const item of items) {
    if (!seen.has(item)) seen.set(item, true);
  }
  return [...seen.keys()];
}

export function dispatch(name: string) {
  return handlers.get(name)?.();
}
