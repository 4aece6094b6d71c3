/**
 * The ticket's properties, editable by agents. Only changed properties are
 * sent; the service checks them and names the field it refuses.
 */
import { Button, Notice } from '@wordpress/components';
import { SelectControl, TextControl } from '@chatflows/components';
import { useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import type {
	TicketDetails,
	TicketPriority,
	TicketProperties,
} from '@chatflows/protocol';
import {
	ticketPipelineOptions,
	ticketPriorityOptions,
	ticketStatusOptions,
} from '../../components/ticket-values';
import { TicketValueControl } from '../../components/ticket-value-control';

/** Longest pipeline, status or category (the service's limit). */
export const MAX_TICKET_PROPERTY_LENGTH = 100;

interface TicketFormProps {
	ticket: TicketDetails;
	/** Resolves null once saved, or the service's reason. */
	onSave: (
		properties: Partial< TicketProperties >
	) => Promise< string | null >;
}

function stateLabel( state: TicketDetails[ 'state' ] ): string {
	switch ( state ) {
		case 'closed':
			return __( 'Closed', 'chatflows' );
		case 'reopened':
			return __( 'Reopened', 'chatflows' );
		default:
			return __( 'Open', 'chatflows' );
	}
}

/**
 * What changed between the ticket and the form, checked as the service does.
 *
 * @param ticket The ticket as stored.
 * @param draft  The form's values.
 * @return The changes, or the first problem with the field it concerns.
 */
export function ticketChanges(
	ticket: TicketProperties,
	draft: TicketProperties
):
	| { changes: Partial< TicketProperties > }
	| { field: keyof TicketProperties; message: string } {
	const changes: Partial< TicketProperties > = {};
	for ( const field of [ 'pipeline', 'status', 'category' ] as const ) {
		const value = draft[ field ].trim();
		if ( value === '' && field !== 'category' ) {
			return { field, message: __( 'Enter a value.', 'chatflows' ) };
		}
		if ( Array.from( value ).length > MAX_TICKET_PROPERTY_LENGTH ) {
			return {
				field,
				message: __( 'Use at most 100 characters.', 'chatflows' ),
			};
		}
		if ( value !== ticket[ field ] ) {
			changes[ field ] = value;
		}
	}
	if ( draft.priority !== ticket.priority ) {
		changes.priority = draft.priority;
	}
	return { changes };
}

/**
 * The ticket form.
 *
 * @param props        Props.
 * @param props.ticket The ticket.
 * @param props.onSave Saves changes.
 */
export function TicketForm( { ticket, onSave }: TicketFormProps ) {
	const [ draft, setDraft ] = useState< TicketProperties >( ticket );
	const [ error, setError ] = useState< string | null >( null );
	const [ fieldError, setFieldError ] = useState< {
		field: keyof TicketProperties;
		message: string;
	} | null >( null );
	const [ busy, setBusy ] = useState( false );
	const [ saved, setSaved ] = useState( false );

	// Another agent's change arrives live.
	useEffect( () => {
		setDraft( {
			pipeline: ticket.pipeline,
			status: ticket.status,
			priority: ticket.priority,
			category: ticket.category,
		} );
	}, [ ticket.pipeline, ticket.status, ticket.priority, ticket.category ] );

	const change = ( field: keyof TicketProperties, value: string ) => {
		setDraft( { ...draft, [ field ]: value } );
		setSaved( false );
		if ( fieldError?.field === field ) {
			setFieldError( null );
		}
	};
	const help = ( field: keyof TicketProperties ) =>
		fieldError?.field === field ? fieldError.message : undefined;

	return (
		<form
			className="chatflows-inbox__ticket"
			onSubmit={ async ( event ) => {
				event.preventDefault();
				const checked = ticketChanges( ticket, draft );
				if ( 'field' in checked ) {
					setFieldError( checked );
					return;
				}
				if ( Object.keys( checked.changes ).length === 0 ) {
					return;
				}
				setBusy( true );
				const failure = await onSave( checked.changes );
				setBusy( false );
				setError( failure );
				setSaved( failure === null );
			} }
		>
			<p>
				{ __( 'State:', 'chatflows' ) } { stateLabel( ticket.state ) }
				{ ticket.offline &&
					' · ' + __( 'Left while offline', 'chatflows' ) }
			</p>
			{ error && (
				<Notice status="error" isDismissible={ false }>
					{ error }
				</Notice>
			) }
			<TicketValueControl
				label={ __( 'Pipeline', 'chatflows' ) }
				otherLabel={ __( 'Pipeline name', 'chatflows' ) }
				value={ draft.pipeline }
				help={ help( 'pipeline' ) }
				options={ ticketPipelineOptions() }
				onChange={ ( value: string ) => change( 'pipeline', value ) }
			/>
			<TicketValueControl
				label={ __( 'Ticket status', 'chatflows' ) }
				otherLabel={ __( 'Status name', 'chatflows' ) }
				value={ draft.status }
				help={ help( 'status' ) }
				options={ ticketStatusOptions() }
				onChange={ ( value: string ) => change( 'status', value ) }
			/>
			<SelectControl
				label={ __( 'Priority', 'chatflows' ) }
				value={ draft.priority }
				options={ ticketPriorityOptions() }
				onChange={ ( value: string ) =>
					change( 'priority', value as TicketPriority )
				}
			/>
			<TextControl
				label={ __( 'Category', 'chatflows' ) }
				value={ draft.category }
				help={ help( 'category' ) }
				onChange={ ( value: string ) => change( 'category', value ) }
			/>
			<Button
				variant="secondary"
				type="submit"
				isBusy={ busy }
				disabled={ busy }
			>
				{ __( 'Save ticket', 'chatflows' ) }
			</Button>
			{ saved && (
				<span className="chatflows-inbox__saved" role="status">
					{ __( 'Saved.', 'chatflows' ) }
				</span>
			) }
		</form>
	);
}
