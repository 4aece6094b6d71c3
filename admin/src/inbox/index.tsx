/**
 * Entry of the Chatflows → Inbox page.
 */
import domReady from '@wordpress/dom-ready';
import { render } from '@wordpress/element';

import { InboxApp } from './components/inbox-app';
import './inbox.css';

domReady( () => {
	const root = document.getElementById( 'chatflows-inbox' );
	if ( root ) {
		// `render` rather than `createRoot`: WordPress 6.1 ships React 17.
		render( <InboxApp />, root );
	}
} );
