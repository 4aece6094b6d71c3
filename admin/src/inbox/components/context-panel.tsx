/**
 * Beside a conversation: who the visitor is and where they are, the
 * consents they gave or declined, their earlier conversations, the ticket
 * and the survey answer. Every value the visitor sent is shown as text; an
 * e-mail address they typed and never confirmed is shown as a claim.
 */
import { useDispatch, useSelect } from '@wordpress/data';
import { __, sprintf } from '@wordpress/i18n';

import type {
	ConversationSummary,
	VisitorDeviceType,
} from '@chatflows/protocol';
import type { InboxConnection } from '../connection';
import { store } from '../store';
import { ConsentRecords } from './consent-records';
import { Row } from './fact-row';
import { PageLink } from './page-link';
import { TicketForm } from './ticket-form';
import { Skeleton } from './placeholders';
import { adminLocale } from '../../components/admin-locale';
import { deviceName } from '../../components/device-name';

interface ContextPanelProps {
	conversationId: string;
	connection: InboxConnection;
}

/**
 * The visitor's local time now, in their zone.
 *
 * @param timeZone IANA zone ('' unknown).
 * @param now      The instant.
 * @return The time, or null when the zone is unknown.
 */
export function localTime( timeZone: string, now: Date ): string | null {
	if ( timeZone === '' ) {
		return null;
	}
	try {
		return new Intl.DateTimeFormat( adminLocale(), {
			timeZone,
			hour: '2-digit',
			minute: '2-digit',
			weekday: 'short',
		} ).format( now );
	} catch {
		return null;
	}
}

function deviceLabel( device: VisitorDeviceType | null ): string {
	return device ? deviceName( device ) : __( 'Unknown', 'chatflows' );
}

function earlierLabel( conversation: ConversationSummary ): string {
	return sprintf(
		/* translators: 1: date, 2: open or closed. */
		__( '%1$s (%2$s)', 'chatflows' ),
		new Date( conversation.createdAt ).toLocaleDateString( adminLocale() ),
		conversation.status === 'open'
			? __( 'open', 'chatflows' )
			: __( 'closed', 'chatflows' )
	);
}

/**
 * The context panel.
 *
 * @param props                Props.
 * @param props.conversationId Conversation.
 * @param props.connection     The live connection.
 */
export function ContextPanel( {
	conversationId,
	connection,
}: ContextPanelProps ) {
	const { context, chatflowId } = useSelect(
		( select ) => ( {
			context: select( store ).getContext( conversationId ),
			chatflowId:
				select( store ).getConversation( conversationId )?.chatflowId ??
				null,
		} ),
		[ conversationId ]
	);
	const { selectConversation, receiveConversations } = useDispatch( store );

	if ( ! context ) {
		return (
			<Skeleton
				shape="facts"
				rows={ 6 }
				label={ __( 'Loading the visitor’s details…', 'chatflows' ) }
			/>
		);
	}
	const { visitor, contact, ticket, survey } = context;
	// What the visitor typed and never confirmed: never taken for who they are.
	const claim = contact ? null : ( context.claim ?? null );
	const time = localTime( visitor.timeZone, new Date() );

	return (
		<aside
			className="chatflows-inbox__context-panel"
			aria-label={ __( 'About the visitor', 'chatflows' ) }
		>
			<h3>{ __( 'Visitor', 'chatflows' ) }</h3>
			<dl className="chatflows-inbox__facts">
				<Row label={ __( 'Name', 'chatflows' ) }>
					{ contact?.name ||
						( claim?.name
							? sprintf(
									/* translators: %s: the name a visitor typed. */
									__(
										'typed: %s (not verified)',
										'chatflows'
									),
									claim.name
								)
							: __( 'Not given', 'chatflows' ) ) }
				</Row>
				<Row label={ __( 'E-mail', 'chatflows' ) }>
					{ contact?.email ||
						( claim
							? sprintf(
									/* translators: %s: the e-mail address a visitor typed and has not confirmed. */
									__(
										'claimed: %s (not verified)',
										'chatflows'
									),
									claim.email
								)
							: __( 'Not given', 'chatflows' ) ) }
				</Row>
				{ contact && (
					<Row label={ __( 'Marketing contact', 'chatflows' ) }>
						{ contact.marketing
							? __( 'Yes', 'chatflows' )
							: __( 'No', 'chatflows' ) }
					</Row>
				) }
				<Row label={ __( 'Status', 'chatflows' ) }>
					{ visitor.online
						? __( 'On the site now', 'chatflows' )
						: __( 'Left the site', 'chatflows' ) }
				</Row>
				<Row label={ __( 'Current page', 'chatflows' ) }>
					<PageLink page={ visitor.currentPage } />
				</Row>
				<Row label={ __( 'Started on', 'chatflows' ) }>
					<PageLink page={ visitor.startPage } />
				</Row>
				<Row label={ __( 'Came from', 'chatflows' ) }>
					{ visitor.referrer || __( 'Direct visit', 'chatflows' ) }
				</Row>
				<Row label={ __( 'Chatflow', 'chatflows' ) }>
					{ context.chatflowName || __( 'Unknown', 'chatflows' ) }
				</Row>
				<Row label={ __( 'Device', 'chatflows' ) }>
					{ deviceLabel( visitor.deviceType ) }
				</Row>
				<Row label={ __( 'Local time', 'chatflows' ) }>
					{ time
						? sprintf(
								/* translators: 1: time, 2: time zone. */
								__( '%1$s (%2$s)', 'chatflows' ),
								time,
								visitor.timeZone
							)
						: __( 'Unknown', 'chatflows' ) }
				</Row>
				<Row label={ __( 'Language', 'chatflows' ) }>
					{ visitor.language || __( 'Unknown', 'chatflows' ) }
				</Row>
			</dl>

			<h3>{ __( 'Consents', 'chatflows' ) }</h3>
			<ConsentRecords
				// A service older than the plugin sends no consent records.
				consents={ context.consents ?? [] }
				chatflowId={ chatflowId }
				chatflowName={ context.chatflowName }
			/>

			<h3>{ __( 'Earlier conversations', 'chatflows' ) }</h3>
			{ context.earlier.length === 0 ? (
				<p>{ __( 'None.', 'chatflows' ) }</p>
			) : (
				<ul className="chatflows-inbox__earlier">
					{ context.earlier.map( ( earlier ) => (
						<li key={ earlier.id }>
							<button
								type="button"
								className="button-link"
								onClick={ () => {
									receiveConversations( [ earlier ] );
									selectConversation( earlier.id );
								} }
							>
								{ earlierLabel( earlier ) }
							</button>
							{ earlier.lastMessage && (
								<span className="chatflows-inbox__preview">
									{ earlier.lastMessage.body }
								</span>
							) }
						</li>
					) ) }
				</ul>
			) }

			<h3>{ __( 'Ticket', 'chatflows' ) }</h3>
			{ ticket ? (
				<TicketForm
					key={ ticket.id }
					ticket={ ticket }
					onSave={ async ( properties ) => {
						const response = await connection.updateTicket(
							conversationId,
							properties
						);
						return response.ok ? null : response.error.message;
					} }
				/>
			) : (
				<p>{ __( 'No ticket.', 'chatflows' ) }</p>
			) }

			<h3>{ __( 'Survey', 'chatflows' ) }</h3>
			{ survey ? (
				<p className="chatflows-inbox__survey">
					{ sprintf(
						/* translators: %d: rating from 1 to 5. */
						__( 'Rated %d of 5', 'chatflows' ),
						survey.rating
					) }
					{ survey.comment !== '' && (
						<>
							<br />
							<q>{ survey.comment }</q>
						</>
					) }
				</p>
			) : (
				<p>{ __( 'Not answered.', 'chatflows' ) }</p>
			) }
		</aside>
	);
}
