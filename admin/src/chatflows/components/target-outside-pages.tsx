/**
 * Pages outside WordPress: the snippet to paste, and the sites (origins)
 * allowed to show the chat with it. A site-wide setting, saved on its own
 * (`PUT chatflows/v1/outside-origins`); the chat service is told too.
 */
import { Button, Notice } from '@wordpress/components';
import { TextareaControl } from '@chatflows/components';
import apiFetch from '@wordpress/api-fetch';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { errorsFromRestError } from '../form/field-errors';
import { API_ROOT } from '../store/api';
import type { Chatflow } from '../store/types';
import { serviceMessage } from './service-notice';

/**
 * The origins in a text of one per line, blank lines dropped.
 *
 * @param text Text.
 */
export function originsOf( text: string ): string[] {
	return text
		.split( '\n' )
		.map( ( line ) => line.trim() )
		.filter( Boolean );
}

/**
 * The panel.
 *
 * @param props         Props.
 * @param props.origins The saved origins.
 * @param props.snippet The snippet.
 */
export function TargetOutsidePages( {
	origins,
	snippet,
}: {
	origins: string[];
	snippet: string;
} ) {
	const [ text, setText ] = useState( origins.join( '\n' ) );
	const [ busy, setBusy ] = useState( false );
	const [ notice, setNotice ] = useState< {
		status: 'success' | 'error' | 'warning';
		text: string;
	} | null >( null );

	const save = async () => {
		setBusy( true );
		setNotice( null );
		const lines = originsOf( text );
		try {
			const saved = await apiFetch< {
				origins: string[];
				service: Chatflow[ 'service' ];
			} >( {
				path: `${ API_ROOT }/outside-origins`,
				method: 'PUT',
				data: { origins: lines },
			} );
			setText( saved.origins.join( '\n' ) );
			const service = serviceMessage( saved.service );
			setNotice(
				service
					? { status: 'warning', text: service }
					: {
							status: 'success',
							text: __( 'Sites saved.', 'chatflows' ),
						}
			);
		} catch ( error ) {
			const mapped = errorsFromRestError( error );
			const [ first ] = Object.entries( mapped.fields );
			const line = first && /\[(\d+)\]/.exec( first[ 0 ] );
			setNotice( {
				status: 'error',
				text: line
					? `${ lines[ Number( line[ 1 ] ) ] }: ${ first[ 1 ] }`
					: ( first?.[ 1 ] ??
						mapped.general ??
						__( 'The sites were not saved.', 'chatflows' ) ),
			} );
		} finally {
			setBusy( false );
		}
	};

	return (
		<div className="chatflows-outside-pages">
			<p>
				{ __(
					'To show the chat on pages this WordPress does not serve (a shop on another host, a landing page), paste this before </body> on those pages. The same rules decide which chatflow shows.',
					'chatflows'
				) }
			</p>
			<TextareaControl
				label={ __( 'Snippet', 'chatflows' ) }
				value={ snippet }
				readOnly
				onChange={ () => undefined }
				rows={ 3 }
			/>
			<TextareaControl
				label={ __(
					'Sites allowed to show the chat (one per line)',
					'chatflows'
				) }
				help={ __(
					'For all chatflows. The scheme and host, e.g. https://shop.example.com.',
					'chatflows'
				) }
				value={ text }
				onChange={ setText }
				rows={ 3 }
			/>
			<Button
				variant="secondary"
				onClick={ save }
				isBusy={ busy }
				disabled={ busy }
			>
				{ __( 'Save sites', 'chatflows' ) }
			</Button>
			{ notice && (
				<Notice status={ notice.status } isDismissible={ false }>
					{ notice.text }
				</Notice>
			) }
		</div>
	);
}
