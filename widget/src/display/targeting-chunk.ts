/**
 * The targeting engine, built as its own small module the loader imports
 * only on pages where visitor rules decide which chatflow serves (WordPress
 * printed a candidate list): pages served by one chatflow never load it.
 */
export { resolveVisitorConfig } from '../targeting/resolve';
