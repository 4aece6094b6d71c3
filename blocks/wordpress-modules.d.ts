/**
 * The few parts of WordPress's editor packages the blocks use. At run time
 * they are WordPress 6.1's own scripts (`wp.blocks`, `wp.blockEditor`,
 * `wp.plugins`, `wp.editPost`, `wp.editor`), which the build names as dependencies; these
 * packages are not installed from npm and ship no types we could use.
 * @param name
 * @param settings
 * @param settings.edit
 * @param settings.save
 */
declare module '@wordpress/blocks' {
	export function registerBlockType< Attributes >(
		name: string,
		settings: {
			edit: ( props: {
				attributes: Attributes;
				setAttributes: ( attributes: Partial< Attributes > ) => void;
			} ) => JSX.Element | null;
			save: () => null;
		}
	): unknown;
}

declare module '@wordpress/block-editor' {
	export function useBlockProps(
		props?: Record< string, unknown >
	): Record< string, unknown >;
	export function InspectorControls( props: {
		children: React.ReactNode;
	} ): JSX.Element;
}

declare module '@wordpress/plugins' {
	export function registerPlugin(
		name: string,
		settings: { render: () => JSX.Element | null; icon?: string }
	): unknown;
}

declare module '@wordpress/edit-post' {
	export function PluginDocumentSettingPanel( props: {
		name: string;
		title: string;
		className?: string;
		children: React.ReactNode;
	} ): JSX.Element;
}

// WordPress 6.6 and later; missing before.
declare module '@wordpress/editor' {
	export const PluginDocumentSettingPanel:
		| typeof import( '@wordpress/edit-post' ).PluginDocumentSettingPanel
		| undefined;
}
