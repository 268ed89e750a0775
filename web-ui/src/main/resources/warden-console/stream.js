// The live stream (server-sent events). EventSource reconnects by itself after a network error; when the
// server refused it (closed state), we retry with a growing pause. The state is shown in the header.
export function connect(handlers, onState) {
  let source = null;
  let lost = false;
  let retry = 1000;

  function open() {
    source = new EventSource('/api/stream');
    source.addEventListener('open', () => {
      retry = 1000;
      onState(lost ? 'reconnected' : 'live');
      lost = false;
    });
    source.addEventListener('error', () => {
      lost = true;
      onState('reconnecting');
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(open, retry);
        retry = Math.min(retry * 2, 30000);
      }
    });
    for (const [event, fn] of Object.entries(handlers)) {
      source.addEventListener(event, (e) => fn(JSON.parse(e.data)));
    }
  }
  open();
  return () => source && source.close();
}
