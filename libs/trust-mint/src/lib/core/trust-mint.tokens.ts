/** The frozen TrustMintConfig, provided by TrustMintModule.forRoot. */
export const TRUST_MINT_CONFIG = Symbol('TRUST_MINT_CONFIG');
