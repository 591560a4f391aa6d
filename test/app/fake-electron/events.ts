/** Electron's Event object: what listeners get as their first argument. https://www.electronjs.org/docs/latest/api/structures/event */
export interface FakeEvent {
  preventDefault(): void;
  readonly defaultPrevented: boolean;
}

export function makeEvent<T extends object>(extra?: T): FakeEvent & T {
  let prevented = false;
  return Object.assign(
    {
      preventDefault(): void {
        prevented = true;
      },
      get defaultPrevented(): boolean {
        return prevented;
      },
    },
    extra ?? ({} as T),
  );
}
