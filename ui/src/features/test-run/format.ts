// Number words shared by the test run's dialog and panel.
export const nf = new Intl.NumberFormat();

export const plural = (n: number, one: string, many = `${one}s`) => `${nf.format(n)} ${n === 1 ? one : many}`;
