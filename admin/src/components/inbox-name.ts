/**
 * The default inbox's one name in the admin: "Default inbox", in the admin's
 * language, wherever it shows (the chatflow's inbox field, the Teams page).
 */
import { __ } from '@wordpress/i18n';

/** Titles WordPress stored for the default inbox before anyone renamed it. */
const UNRENAMED_TITLES = [ 'Default inbox', 'Inbox' ];

/**
 * An inbox's name as the admin shows it.
 *
 * @param inbox           The inbox.
 * @param inbox.name      Its stored title.
 * @param inbox.isDefault Whether it is the default inbox.
 * @return The name.
 */
export function inboxName( inbox: { name: string; isDefault?: boolean } ) {
	// The stored title is in the language the site had when it was created:
	// an unrenamed default inbox is named in the reader's language instead.
	return inbox.isDefault &&
		( UNRENAMED_TITLES.includes( inbox.name ) ||
			inbox.name === __( 'Default inbox', 'chatflows' ) )
		? __( 'Default inbox', 'chatflows' )
		: inbox.name;
}
