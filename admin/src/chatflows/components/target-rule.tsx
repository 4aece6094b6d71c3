/**
 * One targeting rule in the Target tab: what it looks at, how it compares,
 * and the value (a parameter's name too, for query parameter rules).
 */
import { Button } from '@wordpress/components';
import { SelectControl, TextControl } from '@chatflows/components';
import { __ } from '@wordpress/i18n';

import {
	CHOICES,
	OPERATORS,
	type TargetField,
	type TargetOperator,
	type TargetRule,
} from '@chatflows/chatflow-model';
import type { VisitorDeviceType } from '@chatflows/protocol';
import { deviceName } from '../../components/device-name';
import { errorAttributes, FieldError, useChatflowForm } from './form-context';

/** A role of the site, for role rules. */
export interface RoleOption {
	value: string;
	label: string;
}

/**
 * What each field is called.
 */
export function fieldOptions(): Array< { value: TargetField; label: string } > {
	return [
		{ value: 'url', label: __( 'Website URL', 'chatflows' ) },
		{ value: 'query', label: __( 'Query parameter', 'chatflows' ) },
		{ value: 'contact', label: __( 'Visitor', 'chatflows' ) },
		{ value: 'user', label: __( 'WordPress login', 'chatflows' ) },
		{ value: 'role', label: __( 'WordPress role', 'chatflows' ) },
		{ value: 'device', label: __( 'Device', 'chatflows' ) },
		{ value: 'referrer', label: __( 'Referrer', 'chatflows' ) },
		{ value: 'language', label: __( 'Page language', 'chatflows' ) },
	];
}

/**
 * What each comparison is called.
 *
 * @param operator Operator.
 */
export function operatorLabel( operator: TargetOperator ): string {
	switch ( operator ) {
		case 'is':
			return __( 'is', 'chatflows' );
		case 'is_not':
			return __( 'is not', 'chatflows' );
		case 'contains':
			return __( 'contains', 'chatflows' );
		case 'not_contains':
			return __( 'does not contain', 'chatflows' );
		case 'starts_with':
			return __( 'starts with', 'chatflows' );
		case 'ends_with':
			return __( 'ends with', 'chatflows' );
		case 'matches':
			return __( 'matches the pattern', 'chatflows' );
		case 'equals':
			return __( 'equals', 'chatflows' );
		case 'present':
			return __( 'is present', 'chatflows' );
	}
}

/**
 * What each choice value is called.
 *
 * @param value A value of CHOICES.
 */
function choiceLabel( value: string ): string {
	switch ( value ) {
		case 'known':
			return __( 'a known contact (gave their e-mail)', 'chatflows' );
		case 'unknown':
			return __( 'an unknown visitor', 'chatflows' );
		case 'logged_in':
			return __( 'logged in', 'chatflows' );
		case 'logged_out':
			return __( 'logged out', 'chatflows' );
		// Written as the tester writes them, so the rule reads like its answer.
		default:
			return deviceName( value as VisitorDeviceType );
	}
}

/**
 * A new rule of a field, with its first operator and value.
 *
 * @param field Field.
 */
export function newRule( field: TargetField = 'url' ): TargetRule {
	return {
		field,
		operator: OPERATORS[ field ][ 0 ],
		name: '',
		value: CHOICES[ field ]?.[ 0 ] ?? '',
	};
}

function valueHelp( rule: TargetRule ): string | undefined {
	if ( rule.field !== 'url' && rule.field !== 'referrer' ) {
		return rule.field === 'language'
			? __( 'A language code, e.g. da or da-DK.', 'chatflows' )
			: undefined;
	}
	return rule.operator === 'matches'
		? __(
				'* stands for any characters, e.g. /blog/* or https://*.example.com/*.',
				'chatflows'
			)
		: __(
				'A path such as /pricing, or a full address. Case, trailing slashes and http or https do not matter.',
				'chatflows'
			);
}

/**
 * A rule's fields, bound to its path under `settings`.
 *
 * @param props          Props.
 * @param props.path     Path under `settings`, e.g. `target.include[0].rules[1]`.
 * @param props.rule     The rule.
 * @param props.roles    The site's roles.
 * @param props.label    Accessible name of the rule, e.g. "Group 1, rule 2".
 * @param props.onChange Called with the changed rule.
 * @param props.onRemove Removes the rule.
 */
export function TargetRuleFields( {
	path,
	rule,
	roles,
	label,
	onChange,
	onRemove,
}: {
	path: string;
	rule: TargetRule;
	roles: RoleOption[];
	label: string;
	onChange: ( rule: TargetRule ) => void;
	onRemove: () => void;
} ) {
	const { errors } = useChatflowForm();
	const errorOf = ( key: keyof TargetRule ) =>
		errors[ `settings.${ path }.${ key }` ];
	const fieldPath = ( key: keyof TargetRule ) => `${ path }.${ key }`;
	const choices = CHOICES[ rule.field ];

	let valueControl = null;
	if ( rule.field === 'query' && rule.operator === 'present' ) {
		valueControl = null;
	} else if ( choices ) {
		valueControl = (
			<SelectControl
				label={ __( 'Value', 'chatflows' ) }
				value={ rule.value }
				options={ choices.map( ( value ) => ( {
					value,
					label: choiceLabel( value ),
				} ) ) }
				onChange={ ( value: string ) => onChange( { ...rule, value } ) }
				{ ...errorAttributes(
					fieldPath( 'value' ),
					errorOf( 'value' )
				) }
			/>
		);
	} else if ( rule.field === 'role' ) {
		valueControl = (
			<SelectControl
				label={ __( 'Role', 'chatflows' ) }
				value={ rule.value }
				options={ [
					{ value: '', label: __( 'Choose a role', 'chatflows' ) },
					...roles,
				] }
				onChange={ ( value: string ) => onChange( { ...rule, value } ) }
				{ ...errorAttributes(
					fieldPath( 'value' ),
					errorOf( 'value' )
				) }
			/>
		);
	} else {
		valueControl = (
			<TextControl
				label={ __( 'Value', 'chatflows' ) }
				help={ valueHelp( rule ) }
				value={ rule.value }
				onChange={ ( value: string ) => onChange( { ...rule, value } ) }
				{ ...errorAttributes(
					fieldPath( 'value' ),
					errorOf( 'value' )
				) }
			/>
		);
	}

	return (
		<div
			className="chatflows-target-rule"
			role="group"
			aria-label={ label }
		>
			<SelectControl
				label={ __( 'Rule on', 'chatflows' ) }
				value={ rule.field }
				options={ fieldOptions() }
				onChange={ ( field: string ) =>
					onChange( newRule( field as TargetField ) )
				}
				{ ...errorAttributes(
					fieldPath( 'field' ),
					errorOf( 'field' )
				) }
			/>
			{ rule.field === 'query' && (
				<TextControl
					label={ __( 'Parameter', 'chatflows' ) }
					placeholder="utm_source"
					value={ rule.name }
					onChange={ ( name: string ) =>
						onChange( { ...rule, name } )
					}
					{ ...errorAttributes(
						fieldPath( 'name' ),
						errorOf( 'name' )
					) }
				/>
			) }
			<SelectControl
				label={ __( 'Comparison', 'chatflows' ) }
				value={ rule.operator }
				options={ ( OPERATORS[ rule.field ] ?? OPERATORS.url ).map(
					( operator ) => ( {
						value: operator,
						label: operatorLabel( operator ),
					} )
				) }
				onChange={ ( operator: string ) =>
					onChange( {
						...rule,
						operator: operator as TargetOperator,
					} )
				}
				{ ...errorAttributes(
					fieldPath( 'operator' ),
					errorOf( 'operator' )
				) }
			/>
			{ valueControl }
			<Button
				variant="link"
				isDestructive
				className="chatflows-target-rule__remove"
				onClick={ onRemove }
				aria-label={ `${ __( 'Remove rule', 'chatflows' ) }: ${ label }` }
			>
				{ __( 'Remove', 'chatflows' ) }
			</Button>
			{ ( [ 'field', 'operator', 'name', 'value' ] as const ).map(
				( key ) => (
					<FieldError
						key={ key }
						path={ fieldPath( key ) }
						message={ errorOf( key ) }
					/>
				)
			) }
		</div>
	);
}
