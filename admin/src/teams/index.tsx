/**
 * Entry of the Chatflows → Teams page.
 */
import domReady from '@wordpress/dom-ready';
import { render } from '@wordpress/element';

import { TeamsApp } from './components/teams-app';
import '../chatflows/chatflows.css';

domReady( () => {
	const root = document.getElementById( 'chatflows-teams' );
	if ( root ) {
		// `render` rather than `createRoot`: WordPress 6.1 ships React 17.
		render( <TeamsApp />, root );
	}
} );
