/**
 * The targeting engine (the widget's and the admin tester's) against the
 * fixtures the PHP engine also passes (test/fixtures/targeting).
 */
import queryRules from '../../../test/fixtures/targeting/query-rules.json';
import selection from '../../../test/fixtures/targeting/selection.json';
import targets from '../../../test/fixtures/targeting/targets.json';
import urlRules from '../../../test/fixtures/targeting/url-rules.json';
import validation from '../../../test/fixtures/targeting/validation.json';
import visitorRules from '../../../test/fixtures/targeting/visitor-rules.json';
import {
	conditionsHold,
	evaluateTarget,
	ruleHolds,
	validateTarget,
	type DecidedBy,
	type Target,
	type TargetRule,
	type VisitorConditions,
	type VisitorTraits,
} from '../src/index';

/**
 * A rule as the fixtures write it (`name` may be left out).
 *
 * @param raw The fixture's rule.
 */
function rule( raw: Record< string, string > ): TargetRule {
	return { name: '', ...raw } as unknown as TargetRule;
}

function decidedByText( decidedBy: DecidedBy ): string {
	return decidedBy.kind === 'include' || decidedBy.kind === 'exclude'
		? `${ decidedBy.kind }[${ decidedBy.index }]`
		: decidedBy.kind;
}

describe( 'URL and query parameter rules (fixtures)', () => {
	it.each(
		[ ...urlRules, ...queryRules ].map( ( item ) => [ item.name, item ] )
	)( '%s', ( _name, item ) => {
		expect( ruleHolds( rule( item.rule ), { url: item.url } ) ).toBe(
			item.expect
		);
	} );
} );

describe( 'visitor rules (fixtures)', () => {
	it.each( visitorRules.map( ( item ) => [ item.name, item ] ) )(
		'%s',
		( _name, item ) => {
			expect(
				ruleHolds( rule( item.rule ), {
					url: 'https://example.com/',
					traits: item.traits as VisitorTraits,
				} )
			).toBe( item.expect );
		}
	);

	it( 'leaves a visitor rule open when the visitor is not known', () => {
		expect(
			ruleHolds(
				rule( { field: 'contact', operator: 'is', value: 'known' } ),
				{ url: 'https://example.com/' }
			)
		).toBeNull();
	} );
} );

describe( 'targets: groups, exclusions, all pages (fixtures)', () => {
	it.each( targets.map( ( item ) => [ item.name, item ] ) )(
		'%s',
		( _name, item ) => {
			const result = evaluateTarget( item.target as Target, {
				url: item.url,
				traits: item.traits as VisitorTraits | undefined,
			} );
			expect( result.result ).toBe( item.expect );
			expect( decidedByText( result.decidedBy ) ).toBe( item.decidedBy );
			if ( result.result === 'maybe' ) {
				expect( result.conditions ).toEqual( item.conditions );
			}
		}
	);
} );

describe( 'choosing among chatflows by priority (fixtures)', () => {
	it.each( selection.map( ( item ) => [ item.name, item ] ) )(
		'%s',
		( _name, item ) => {
			const traits = item.traits as VisitorTraits;
			// At once, as the admin's tester does.
			const direct = item.chatflows.find(
				( chatflow ) =>
					evaluateTarget( chatflow.target as Target, {
						url: item.url,
						traits,
					} ).result === 'yes'
			);
			expect( direct?.id ?? null ).toBe( item.expect );

			// In two steps, as on a page: WordPress settles the page rules,
			// the browser the visitor's.
			let served: string | null = null;
			for ( const chatflow of item.chatflows ) {
				const result = evaluateTarget( chatflow.target as Target, {
					url: item.url,
				} );
				if ( result.result === 'no' ) {
					continue;
				}
				const conditions: VisitorConditions =
					result.result === 'maybe'
						? result.conditions
						: { groups: [ [] ], exclude: [] };
				if ( conditionsHold( conditions, traits ) ) {
					served = chatflow.id;
					break;
				}
			}
			expect( served ).toBe( item.expect );
		}
	);
} );

describe( 'validation at save time (fixtures)', () => {
	it.each( validation.map( ( item ) => [ item.name, item ] ) )(
		'%s',
		( _name, item ) => {
			expect(
				Object.keys( validateTarget( item.target as Target ) ).sort()
			).toEqual( [ ...item.errors ].sort() );
		}
	);
} );

describe( 'the fixtures', () => {
	it( 'hold at least 60 cases', () => {
		const count = [
			urlRules,
			queryRules,
			visitorRules,
			targets,
			selection,
			validation,
		].reduce( ( sum, list ) => sum + list.length, 0 );
		expect( count ).toBeGreaterThanOrEqual( 60 );
	} );
} );
