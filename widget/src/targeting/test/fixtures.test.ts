/**
 * Choosing the chatflow in the browser (resolveWidgetConfig) against the
 * selection fixtures the PHP engine also passes (test/fixtures/targeting);
 * the engine's own fixtures run in packages/chatflow-model/test.
 */
import selection from '../../../../test/fixtures/targeting/selection.json';
import {
	evaluateTarget,
	type Target,
	type VisitorTraits,
} from '@chatflows/chatflow-model';
import type { WidgetConfig } from '../../page-settings';
import { resolveWidgetConfig, type Candidate } from '../resolve';

function configOf( id: string ): WidgetConfig {
	return {
		chatflowId: id,
		serviceUrl: 'http://chat.example',
		chatWindowUrl: 'http://example.com/chat-window.js',
		locale: 'en_US',
		texts: {} as WidgetConfig[ 'texts' ],
	};
}

describe( 'choosing among chatflows by priority (fixtures)', () => {
	it.each( selection.map( ( item ) => [ item.name, item ] ) )(
		'%s',
		( _name, item ) => {
			const traits = item.traits as VisitorTraits;
			// In two steps, as on a page: WordPress settles the page rules,
			// the loader the visitor's.
			const candidates: Candidate[] = [];
			for ( const chatflow of item.chatflows ) {
				const result = evaluateTarget( chatflow.target as Target, {
					url: item.url,
				} );
				if ( result.result === 'no' ) {
					continue;
				}
				candidates.push( {
					config: configOf( chatflow.id ),
					visitorRules:
						result.result === 'maybe'
							? result.conditions
							: { groups: [ [] ], exclude: [] },
				} );
				if ( result.result === 'yes' ) {
					break;
				}
			}
			expect(
				resolveWidgetConfig( { candidates }, traits )?.chatflowId ??
					null
			).toBe( item.expect );
		}
	);
} );
