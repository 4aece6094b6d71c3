/**
 * The consents a visitor (or their contact) gave or declined, as the service
 * recorded them: what, the answer, how, when, in which language, under which
 * chatflow, on which page, and the exact text shown with its version. The
 * text came from a browser: it is shown as text, never as HTML.
 */
import { __, _x, sprintf } from '@wordpress/i18n';

import type {
	ConsentKind,
	ConsentMethod,
	ConsentRecord,
} from '@chatflows/protocol';
import { adminLocale } from '../../components/admin-locale';
import { subscriptionTypeLabel } from '../../components/subscription-types';
import { Row } from './fact-row';
import { PageLink } from './page-link';

interface ConsentRecordsProps {
	/** Newest first, as the service sends them. */
	consents: ConsentRecord[];
	/** The conversation's chatflow, whose name is known. */
	chatflowId: string | null;
	/** Its name; '' when the service does not know it. */
	chatflowName: string;
}

/**
 * What a consent is for, as agents read it.
 *
 * @param kind The consent's kind.
 */
export function consentKindLabel( kind: ConsentKind ): string {
	switch ( kind ) {
		case 'cookies':
			return __( 'Cookies', 'chatflows' );
		case 'data_processing':
			return __( 'Processing of personal data', 'chatflows' );
		default:
			return __( 'Communications', 'chatflows' );
	}
}

/**
 * How the visitor answered, as agents read it.
 *
 * @param method The consent's method.
 */
export function consentMethodLabel( method: ConsentMethod ): string {
	switch ( method ) {
		case 'banner':
			return __( 'The chat’s banner', 'chatflows' );
		case 'checkbox':
			return __( 'The chat’s checkbox', 'chatflows' );
		case 'notice':
			return __( 'A notice shown (no click needed)', 'chatflows' );
		default:
			return __( 'The site’s consent plugin', 'chatflows' );
	}
}

/**
 * When a record was made, in wp-admin's language and the agent's own time
 * zone; the stored value itself when it is not a date.
 *
 * @param iso ISO 8601.
 */
export function formatRecordedAt( iso: string ): string {
	const date = new Date( iso );
	return Number.isNaN( date.getTime() )
		? iso
		: new Intl.DateTimeFormat( adminLocale(), {
				dateStyle: 'medium',
				timeStyle: 'short',
			} ).format( date );
}

/**
 * A locale such as `da_DK` by its name in wp-admin's language, with the
 * code; the code alone when the browser has no name for it.
 *
 * @param locale The record's locale.
 */
export function languageLabel( locale: string ): string {
	let name: string | undefined;
	try {
		name = new Intl.DisplayNames( adminLocale(), {
			type: 'language',
		} ).of( locale.replace( /_/g, '-' ) );
	} catch {
		name = undefined;
	}
	return name && name !== locale
		? sprintf(
				/* translators: 1: language name, 2: locale code such as da_DK. */
				__( '%1$s (%2$s)', 'chatflows' ),
				name,
				locale
			)
		: locale;
}

function ConsentItem( {
	record,
	chatflowId,
	chatflowName,
}: { record: ConsentRecord } & Omit< ConsentRecordsProps, 'consents' > ) {
	const answer = record.granted
		? _x( 'given', 'consent answer', 'chatflows' )
		: _x( 'declined', 'consent answer', 'chatflows' );
	const chatflow =
		record.chatflowId === chatflowId && chatflowName !== ''
			? chatflowName
			: sprintf(
					/* translators: %s: chatflow ID. */
					__( 'Chatflow #%s', 'chatflows' ),
					record.chatflowId
				);
	// The consent plugin answers for a category, and no text was shown.
	const fromPlugin = record.method === 'wp_consent_api';
	return (
		<li
			className={ `chatflows-inbox__consent ${
				record.granted ? 'is-given' : 'is-declined'
			}` }
		>
			<h4>
				{ sprintf(
					/* translators: 1: what was consented to, 2: given or declined. */
					__( '%1$s: %2$s', 'chatflows' ),
					consentKindLabel( record.kind ),
					answer
				) }
			</h4>
			<dl className="chatflows-inbox__facts">
				{ record.kind === 'communications' && (
					<Row label={ __( 'Subscription type', 'chatflows' ) }>
						{ record.subscriptionType
							? subscriptionTypeLabel( record.subscriptionType )
							: __( 'Not given', 'chatflows' ) }
					</Row>
				) }
				<Row label={ __( 'How', 'chatflows' ) }>
					{ consentMethodLabel( record.method ) }
				</Row>
				<Row label={ __( 'When', 'chatflows' ) }>
					<time dateTime={ record.recordedAt }>
						{ formatRecordedAt( record.recordedAt ) }
					</time>
				</Row>
				<Row label={ __( 'Language', 'chatflows' ) }>
					{ languageLabel( record.language ) }
				</Row>
				<Row label={ __( 'Chatflow', 'chatflows' ) }>{ chatflow }</Row>
				<Row label={ __( 'Page', 'chatflows' ) }>
					<PageLink page={ { url: record.pageUrl, title: '' } } />
				</Row>
				{ fromPlugin && (
					<Row label={ __( 'Consent category', 'chatflows' ) }>
						{ record.text }
					</Row>
				) }
			</dl>
			{ ! fromPlugin && (
				<details className="chatflows-inbox__consent-text">
					<summary>
						{ sprintf(
							/* translators: %s: the text's version, 16 hexadecimal characters. */
							__( 'Text shown (version %s)', 'chatflows' ),
							record.textVersion
						) }
					</summary>
					<p>{ record.text }</p>
				</details>
			) }
		</li>
	);
}

/**
 * The consent records, newest first, or a line saying there are none.
 *
 * @param props              Props.
 * @param props.consents     Newest first.
 * @param props.chatflowId   The conversation's chatflow.
 * @param props.chatflowName Its name.
 */
export function ConsentRecords( {
	consents,
	chatflowId,
	chatflowName,
}: ConsentRecordsProps ) {
	if ( consents.length === 0 ) {
		return <p>{ __( 'None recorded.', 'chatflows' ) }</p>;
	}
	return (
		<ul
			className="chatflows-inbox__consents"
			aria-label={ __( 'Consent records', 'chatflows' ) }
		>
			{ consents.map( ( record ) => (
				<ConsentItem
					key={ record.id }
					record={ record }
					chatflowId={ chatflowId }
					chatflowName={ chatflowName }
				/>
			) ) }
		</ul>
	);
}
