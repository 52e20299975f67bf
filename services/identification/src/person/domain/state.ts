export type PersonState =
  | { readonly status: 'none' }
  | {
      readonly status: 'registered';
      readonly personId: string;
      readonly registeredByOrgId: string;
      readonly openJourneyIds: readonly string[];
    };

export const initialState = (): PersonState => ({ status: 'none' });
