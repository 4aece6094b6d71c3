/**
 * The `chatflows/saved-replies` data store: the saved replies the user may
 * use, from the `chatflows/v1` REST API. The saved replies screen edits them;
 * the inbox's reply box inserts them.
 */
import { createReduxStore, register } from '@wordpress/data';

import * as actions from './actions';
import { reducer } from './reducer';
import * as resolvers from './resolvers';
import * as selectors from './selectors';

export const STORE_NAME = 'chatflows/saved-replies';

export const store = createReduxStore( STORE_NAME, {
	reducer,
	actions,
	selectors,
	resolvers,
} );

register( store );
