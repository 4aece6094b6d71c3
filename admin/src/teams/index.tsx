/**
 * Entry of the Chatflows → Teams page.
 */
import domReady from '@wordpress/dom-ready';

import { mountApp } from '../components/mount';
import { TeamsApp } from './components/teams-app';
import '../chatflows/chatflows.css';

domReady( () => {
	const root = document.getElementById( 'chatflows-teams' );
	if ( root ) {
		mountApp( <TeamsApp />, root );
	}
} );
