/**
 * WordPress 6.1 has no `react-jsx-runtime` script, so JSX compiles to the
 * classic `createElement` from `@wordpress/element` (imported automatically).
 */
module.exports = ( api ) => {
	api.cache( true );
	return {
		presets: [ '@wordpress/babel-preset-default' ],
		plugins: [
			[
				'@wordpress/babel-plugin-import-jsx-pragma',
				{
					scopeVariable: 'createElement',
					scopeVariableFrag: 'Fragment',
					source: '@wordpress/element',
					isDefault: false,
				},
			],
			[
				'@babel/plugin-transform-react-jsx',
				{
					runtime: 'classic',
					pragma: 'createElement',
					pragmaFrag: 'Fragment',
				},
			],
		],
		overrides: [
			{
				// The visitor widget is Preact, built by esbuild; jest still needs its JSX.
				test: /[\\/]widget[\\/]/,
				plugins: [
					[
						'@babel/plugin-transform-react-jsx',
						{ runtime: 'automatic', importSource: 'preact' },
					],
				],
			},
		],
	};
};
