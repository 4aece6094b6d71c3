/**
 * docs/deploy.md gives the nginx configuration the production-stack test
 * runs: the template docs/nginx-chatflows.conf verbatim, and the same
 * envsubst command the stack renders it with.
 */
const { spawnSync } = require( 'node:child_process' );
const fs = require( 'node:fs' );
const path = require( 'node:path' );

const repoRoot = path.resolve( __dirname, '..', '..' );

/**
 * What the stack module says, and the template rendered with its envsubst
 * (in a Node process of its own: the module is an ES module).
 */
const stack = JSON.parse(
	spawnSync(
		process.execPath,
		[
			'--input-type=module',
			'-e',
			`
			import fs from 'node:fs';
			import * as stack from './scripts/lib/production-stack.mjs';
			const template = fs.readFileSync( stack.NGINX_TEMPLATE, 'utf8' );
			const values = Object.fromEntries(
				stack.NGINX_TEMPLATE_VALUES.map( ( name ) => [ name, 'value-of-' + name ] )
			);
			const { LISTEN, ...withoutListen } = values;
			const refused = await stack.renderNginxTemplate( template, withoutListen ).then(
				() => '',
				( error ) => error.message
			);
			process.stdout.write( JSON.stringify( {
				file: stack.NGINX_TEMPLATE,
				names: stack.NGINX_TEMPLATE_VALUES,
				format: stack.NGINX_ENVSUBST_FORMAT,
				rendered: await stack.renderNginxTemplate( template, values ),
				refused,
			} ) );
			`,
		],
		{ cwd: repoRoot, encoding: 'utf8' }
	).stdout
);
const deployDoc = fs.readFileSync(
	path.join( repoRoot, 'docs', 'deploy.md' ),
	'utf8'
);
const template = fs.readFileSync( stack.file, 'utf8' );

describe( 'the nginx configuration in docs/deploy.md', () => {
	it( 'is the template the production-stack test runs, verbatim', () => {
		const section =
			/<!-- BEGIN nginx[^>]*-->\n\n```nginx\n([\s\S]*?)```\n\n<!-- END nginx -->/.exec(
				deployDoc
			);
		expect( section ).not.toBeNull();
		expect( section[ 1 ] ).toBe( template );
	} );

	it( 'is filled in with the envsubst command the stack uses, naming every value', () => {
		expect( deployDoc ).toContain( `envsubst '${ stack.format }'` );
		const placeholders = new Set(
			[ ...template.matchAll( /\$\{([A-Z_]+)\}/g ) ].map(
				( match ) => match[ 1 ]
			)
		);
		expect( [ ...placeholders ].sort() ).toEqual(
			[ ...stack.names ].sort()
		);
		const exported = /export ((?:[A-Z_]+=\S+\s+(?:\\\n\s*)?)+)/.exec(
			deployDoc
		);
		expect( exported ).not.toBeNull();
		const names = [ ...exported[ 1 ].matchAll( /([A-Z_]+)=/g ) ].map(
			( match ) => match[ 1 ]
		);
		expect( names.sort() ).toEqual( [ ...stack.names ].sort() );
	} );

	it( 'renders with every value filled in and nginx’s own variables kept', () => {
		expect( stack.rendered ).not.toMatch( /\$\{[A-Z_]+\}/ );
		expect( stack.rendered ).toContain( 'server_name value-of-CHAT_HOST;' );
		expect( stack.rendered ).toContain(
			'proxy_set_header Upgrade $http_upgrade;'
		);
		expect( stack.refused ).toMatch( /LISTEN/ );
	} );
} );
