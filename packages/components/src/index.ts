/**
 * `@chatflows/components`: React controls both wp-admin apps (`admin/`, the
 * screens; `blocks/`, the block editor's block and page panel) use, on
 * `@wordpress/components` (WordPress's `wp.components` at run time).
 */
export {
	CheckboxControl,
	SelectControl,
	TextareaControl,
	TextControl,
	ToggleControl,
} from './controls';
