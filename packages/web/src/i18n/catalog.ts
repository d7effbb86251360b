// The shape every translation must have: the English catalog's keys, each a string. A German or Chinese
// area file declares `satisfies Translation<typeof en>`, so a key missing there (or one English does not
// have) fails the type check instead of showing a key or English on screen.

export type Translation<T> = { [K in keyof T]: T[K] extends string ? string : Translation<T[K]> };
