/**
 * WordPress's form controls with the styles current WordPress asks for: 40px tall inputs and no bottom
 * margin of their own. Since WordPress 6.7 the old styles are deprecated (a console warning each) and 7.0
 * drops them. WordPress 6.1 ignores the props it does not know and keeps its own styles.
 */
import {
	CheckboxControl as WordPressCheckboxControl,
	SelectControl as WordPressSelectControl,
	TextControl as WordPressTextControl,
	TextareaControl as WordPressTextareaControl,
	ToggleControl as WordPressToggleControl,
} from '@wordpress/components';
import type { ComponentProps } from 'react';

export function TextControl(
	props: ComponentProps< typeof WordPressTextControl >
) {
	return (
		<WordPressTextControl
			__next40pxDefaultSize
			__nextHasNoMarginBottom
			{ ...props }
		/>
	);
}

export function SelectControl(
	props: ComponentProps< typeof WordPressSelectControl >
) {
	return (
		<WordPressSelectControl
			__next40pxDefaultSize
			__nextHasNoMarginBottom
			{ ...props }
		/>
	);
}

export function TextareaControl(
	props: ComponentProps< typeof WordPressTextareaControl >
) {
	return <WordPressTextareaControl __nextHasNoMarginBottom { ...props } />;
}

export function CheckboxControl(
	props: ComponentProps< typeof WordPressCheckboxControl >
) {
	return <WordPressCheckboxControl __nextHasNoMarginBottom { ...props } />;
}

export function ToggleControl(
	props: ComponentProps< typeof WordPressToggleControl >
) {
	return <WordPressToggleControl __nextHasNoMarginBottom { ...props } />;
}
