// Helpers for AbortSignals shared by the clients and the API server.

/**
 * An abort signal for `Connection.withAbortSignal` that also cancels the calls started after it
 * fired. The client cancels a call on the signal's 'abort' event, which a signal that has fired
 * does not emit again; a subscription that was cooling down when its follower stopped would start
 * its next long poll after the stop and keep it open until the conversation writes again (and if
 * the connection closes meanwhile, the client retries that poll on the closed channel).
 */
export function cancelsLateCalls(signal: AbortSignal): AbortSignal {
  return new Proxy(signal, {
    get(target, prop) {
      if (prop === 'addEventListener')
        return (
          type: string,
          listener: EventListenerOrEventListenerObject,
          options?: AddEventListenerOptions
        ) => {
          if (type === 'abort' && target.aborted) {
            const event = new Event('abort');
            queueMicrotask(() =>
              typeof listener === 'function' ? listener.call(target, event) : listener.handleEvent(event)
            );
            return;
          }
          target.addEventListener(type, listener, options);
        };
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** A promise that resolves when `signal` aborts (at once if it has; never without a signal). */
export function abortedBy(signal: AbortSignal | undefined): Promise<'aborted'> {
  return new Promise((resolve) => {
    if (signal?.aborted) resolve('aborted');
    else signal?.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
}
