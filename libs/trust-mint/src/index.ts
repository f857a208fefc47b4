export { TrustMintModule } from './lib/trust-mint.module.js';
