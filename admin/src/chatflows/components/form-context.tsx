/**
 * The chatflow form shared by the wizard and the editor: the draft settings,
 * their errors by path, and typed field controls bound to a path.
 */
import { BaseControl, Button, RadioControl } from '@wordpress/components';
import {
	CheckboxControl,
	SelectControl,
	TextareaControl,
	TextControl,
	ToggleControl,
} from '@chatflows/components';
import { createContext, useContext } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { adminData } from '../admin-data';
import { getAtPath } from '../form/dirty';
import type { FieldErrors } from '../form/field-errors';
import type {
	ChatflowSettings,
	LocalizedText,
} from '@chatflows/chatflow-model';

/** Languages a text can be written in. */
export type TextLanguage = keyof LocalizedText;

export interface ChatflowForm {
	settings: ChatflowSettings;
	/** Errors by full path, e.g. `settings.display.accentColor`. */
	errors: FieldErrors;
	/** The language whose texts the form edits. */
	language: TextLanguage;
	/**
	 * Sets a setting.
	 *
	 * @param path  Path under `settings`, e.g. `display.accentColor`.
	 * @param value New value.
	 */
	update: ( path: string, value: unknown ) => void;
}

export const FormContext = createContext< ChatflowForm | null >( null );

/** The form the fields belong to. */
export function useChatflowForm(): ChatflowForm {
	const form = useContext( FormContext );
	if ( ! form ) {
		throw new Error( 'Chatflow fields need a FormContext provider.' );
	}
	return form;
}

/**
 * The error of a field (by its path under `settings`), if any.
 *
 * @param path Path under `settings`.
 */
export function useFieldError( path: string ): string | undefined {
	return useChatflowForm().errors[ `settings.${ path }` ];
}

/** A field's identity: its path under `settings` names its error and DOM ids. */
interface FieldProps {
	path: string;
	label: string;
	help?: string;
}

function fieldId( path: string ): string {
	return 'chatflows-field-' + path.replace( /[^a-zA-Z0-9]+/g, '-' );
}

/**
 * The error under a field: announced, and tied to the control.
 *
 * @param props         Props.
 * @param props.path    Path under `settings`.
 * @param props.message Error, if any.
 */
export function FieldError( {
	path,
	message,
}: {
	path: string;
	message?: string;
} ) {
	if ( ! message ) {
		return null;
	}
	return (
		<p
			id={ fieldId( path ) + '-error' }
			className="chatflows-field-error"
			role="alert"
		>
			{ message }
		</p>
	);
}

/**
 * Props that tie a control to its error for assistive technology.
 * @param path
 * @param message
 */
export function errorAttributes( path: string, message?: string ) {
	return message
		? {
				'aria-invalid': true,
				'aria-describedby': fieldId( path ) + '-error',
			}
		: {};
}

/**
 * A one-line text setting.
 *
 * @param props             Props.
 * @param props.path
 * @param props.label
 * @param props.help
 * @param props.type
 * @param props.placeholder
 * @param props.list
 */
export function TextField( {
	path,
	label,
	help,
	type = 'text',
	placeholder,
	list,
}: FieldProps & {
	type?: 'text' | 'url';
	placeholder?: string;
	list?: string;
} ) {
	const { settings, update } = useChatflowForm();
	const error = useFieldError( path );
	return (
		<div className="chatflows-field" data-field={ `settings.${ path }` }>
			<TextControl
				label={ label }
				help={ help }
				type={ type }
				placeholder={ placeholder }
				list={ list }
				value={ String( getAtPath( settings, path ) ?? '' ) }
				onChange={ ( value: string ) => update( path, value ) }
				{ ...errorAttributes( path, error ) }
			/>
			<FieldError path={ path } message={ error } />
		</div>
	);
}

/**
 * A whole-number setting. Anything that is not a number is kept as NaN, so
 * validation names the field instead of silently saving 0.
 *
 * @param props       Props.
 * @param props.path
 * @param props.label
 * @param props.help
 * @param props.min
 * @param props.max
 * @param props.hint
 */
export function NumberField( {
	path,
	label,
	help,
	min,
	max,
	hint,
}: FieldProps & { min?: number; max?: number; hint?: string | null } ) {
	const { settings, update } = useChatflowForm();
	const error = useFieldError( path );
	const value = getAtPath( settings, path ) as number;
	return (
		<div className="chatflows-field" data-field={ `settings.${ path }` }>
			<TextControl
				label={ label }
				help={ help }
				type="number"
				min={ min }
				max={ max }
				value={ Number.isNaN( value ) ? '' : String( value ) }
				onChange={ ( raw: string ) =>
					update( path, raw.trim() === '' ? NaN : Number( raw ) )
				}
				{ ...errorAttributes( path, error ) }
			/>
			<FieldError path={ path } message={ error } />
			{ ! error && hint && (
				<p className="chatflows-field-hint">{ hint }</p>
			) }
		</div>
	);
}

/**
 * An on/off setting.
 *
 * @param props       Props.
 * @param props.path
 * @param props.label
 * @param props.help
 */
export function ToggleField( { path, label, help }: FieldProps ) {
	const { settings, update } = useChatflowForm();
	return (
		<ToggleControl
			label={ label }
			help={ help }
			checked={ Boolean( getAtPath( settings, path ) ) }
			onChange={ ( checked: boolean ) => update( path, checked ) }
		/>
	);
}

/**
 * A checkbox setting.
 *
 * @param props       Props.
 * @param props.path
 * @param props.label
 * @param props.help
 */
export function CheckboxField( { path, label, help }: FieldProps ) {
	const { settings, update } = useChatflowForm();
	return (
		<CheckboxControl
			label={ label }
			help={ help }
			checked={ Boolean( getAtPath( settings, path ) ) }
			onChange={ ( checked: boolean ) => update( path, checked ) }
		/>
	);
}

/**
 * One choice among a few, as radio buttons.
 *
 * @param props         Props.
 * @param props.path
 * @param props.label
 * @param props.help
 * @param props.options
 */
export function RadioField( {
	path,
	label,
	help,
	options,
}: FieldProps & { options: Array< { label: string; value: string } > } ) {
	const { settings, update } = useChatflowForm();
	const error = useFieldError( path );
	return (
		<div className="chatflows-field">
			<RadioControl
				label={ label }
				help={ help }
				selected={ String( getAtPath( settings, path ) ) }
				options={ options }
				onChange={ ( value: string ) => update( path, value ) }
			/>
			<FieldError path={ path } message={ error } />
		</div>
	);
}

/**
 * One choice among several, as a drop-down.
 *
 * @param props         Props.
 * @param props.path
 * @param props.label
 * @param props.help
 * @param props.options
 * @param props.numeric
 */
export function SelectField( {
	path,
	label,
	help,
	options,
	numeric = false,
}: FieldProps & {
	options: Array< { label: string; value: string } >;
	numeric?: boolean;
} ) {
	const { settings, update } = useChatflowForm();
	const error = useFieldError( path );
	return (
		<div className="chatflows-field" data-field={ `settings.${ path }` }>
			<SelectControl
				label={ label }
				help={ help }
				value={ String( getAtPath( settings, path ) ) }
				options={ options }
				onChange={ ( value: string ) =>
					update( path, numeric ? Number( value ) : value )
				}
				{ ...errorAttributes( path, error ) }
			/>
			<FieldError path={ path } message={ error } />
		</div>
	);
}

/**
 * A person-facing text, stored per language: edits the form's language;
 * "Reset to default" removes it, so the language's default text shows (the
 * field's placeholder says which).
 *
 * @param props           Props.
 * @param props.multiline A text area rather than one line.
 * @param props.path
 * @param props.label
 * @param props.help
 */
export function LocalizedTextField( {
	path,
	label,
	help,
	multiline = true,
}: FieldProps & { multiline?: boolean } ) {
	const { settings, update, language, errors } = useChatflowForm();
	const texts = ( getAtPath( settings, path ) ?? {} ) as LocalizedText;
	const languagePath = `${ path }.${ language }`;
	const error =
		errors[ `settings.${ languagePath }` ] ??
		errors[ `settings.${ path }` ];
	const value = texts[ language ] ?? '';
	const Control = multiline ? TextareaControl : TextControl;
	const reset = () => {
		const rest = { ...texts };
		delete rest[ language ];
		update( path, rest );
	};
	return (
		<div
			className="chatflows-field chatflows-field--text"
			data-field={ `settings.${ path }` }
		>
			<Control
				label={ label }
				help={
					help ??
					__(
						'Empty: the default text for the language.',
						'chatflows'
					)
				}
				value={ value }
				// What the chat says while this language's text is empty.
				placeholder={ adminData().defaultTexts?.[ path ]?.[ language ] }
				onChange={ ( next: string ) =>
					update( path, { ...texts, [ language ]: next } )
				}
				{ ...errorAttributes( languagePath, error ) }
			/>
			<FieldError path={ languagePath } message={ error } />
			{ texts[ language ] !== undefined && (
				<Button
					variant="link"
					onClick={ reset }
					aria-label={ `${ __( 'Reset to default', 'chatflows' ) }: ${ label }` }
				>
					{ __( 'Reset to default', 'chatflows' ) }
				</Button>
			) }
		</div>
	);
}

/**
 * A titled group of fields.
 *
 * @param props          Props.
 * @param props.title    Heading.
 * @param props.children Fields.
 */
export function FieldGroup( {
	title,
	children,
}: {
	title: string;
	children: React.ReactNode;
} ) {
	return (
		<fieldset className="chatflows-group">
			<legend className="chatflows-group__title">{ title }</legend>
			{ children }
		</fieldset>
	);
}

export { BaseControl };
