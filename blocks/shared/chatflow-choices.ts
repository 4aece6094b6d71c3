/**
 * The chatflows an editor may choose for a page, for the Live chat block and
 * the "Chat on this page" panel (`GET chatflows/v1/page-choices`, for users
 * who may edit posts).
 */
import apiFetch from '@wordpress/api-fetch';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

export interface ChatflowChoice {
	id: number;
	title: string;
	/** Published: the chatflow is on. */
	enabled: boolean;
	accentColor: string;
	teamName: string;
	welcomeMessage: string;
}

/** What the hook gives: the choices once loaded, or the error. */
export interface ChoicesState {
	choices: ChatflowChoice[] | null;
	error: string | null;
}

/**
 * Loads the choices once.
 */
export function useChatflowChoices(): ChoicesState {
	const [ state, setState ] = useState< ChoicesState >( {
		choices: null,
		error: null,
	} );
	useEffect( () => {
		let current = true;
		apiFetch< ChatflowChoice[] >( { path: '/chatflows/v1/page-choices' } )
			.then(
				( choices ) => current && setState( { choices, error: null } )
			)
			.catch( ( error: { message?: string } ) => {
				if ( current ) {
					setState( {
						choices: null,
						error:
							error?.message ??
							__(
								'The chatflows could not be loaded.',
								'chatflows'
							),
					} );
				}
			} );
		return () => {
			current = false;
		};
	}, [] );
	return state;
}

/**
 * Drop-down options of the choices; chatflows that are off say so.
 *
 * @param choices     Chatflows.
 * @param placeholder The first option's label (value 0).
 */
export function choiceOptions(
	choices: ChatflowChoice[],
	placeholder: string
): Array< { value: string; label: string } > {
	return [
		{ value: '0', label: placeholder },
		...choices.map( ( choice ) => ( {
			value: String( choice.id ),
			label: choice.enabled
				? choice.title
				: sprintf(
						/* translators: %s: chatflow name. */
						__( '%s (off)', 'chatflows' ),
						choice.title
					),
		} ) ),
	];
}
