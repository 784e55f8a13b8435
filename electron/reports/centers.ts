// The names of learning centers, for the dashboard's center filter and the printed profile. This device does not
// know its centers' names yet (they are to come with its settings, beside its token): every name is unknown, and
// the screens and the printout say "Learning center" instead.
export type CenterNames = (centerId: string | null) => string | null;

export const centerName: CenterNames = () => null;
