/**
 * The repository's own packages (npm workspaces, `packages/*`): code the apps share.
 */
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './process.mjs';

/**
 * Every package: its folder and its manifest.
 *
 * @return {{ dir: string, manifest: Object }[]} Packages, in folder order.
 */
export function workspacePackages() {
	const root = path.join( repoRoot, 'packages' );
	return fs
		.readdirSync( root, { withFileTypes: true } )
		.filter(
			( entry ) =>
				entry.isDirectory() &&
				fs.existsSync( path.join( root, entry.name, 'package.json' ) )
		)
		.map( ( entry ) => {
			const dir = path.join( root, entry.name );
			return {
				dir,
				manifest: JSON.parse(
					fs.readFileSync( path.join( dir, 'package.json' ), 'utf8' )
				),
			};
		} );
}
