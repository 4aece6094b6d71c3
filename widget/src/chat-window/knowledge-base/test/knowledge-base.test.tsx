/*
 * @jest-environment-options {"customExportConditions": ["require", "default"]}
 */

/**
 * The knowledge-base tab in jsdom with a fetch standing in for WordPress's
 * search route: a labelled search, results as a list of links, what screen
 * readers hear, and when the tab is offered at all.
 */
import { fireEvent as domEvent, screen, waitFor } from '@testing-library/dom';
import { render } from 'preact';
import { act } from 'preact/test-utils';

import type { WidgetConfig } from '../../../page-settings';
import { KNOWLEDGE_TEXTS } from '../../test/fixtures';
import type { ChatController } from '../../visitor-chat';
import { KnowledgeBase, knowledgeBaseTab } from '../knowledge-base';

const TEXTS = KNOWLEDGE_TEXTS;

const SEARCH_URL =
	'http://site.example.test/wp-json/chatflows/v1/knowledge-base/search';

let container: HTMLElement;
let fetchMock: jest.Mock;

function respond( status: number, body: unknown ) {
	return { ok: status === 200, status, json: async () => body };
}

function show() {
	act( () => {
		render(
			<KnowledgeBase
				searchUrl={ SEARCH_URL }
				chatflowId="42"
				texts={ TEXTS }
				fetchImpl={ fetchMock as unknown as typeof fetch }
			/>,
			container
		);
	} );
}

async function searchFor( words: string ) {
	const field = screen.getByRole( 'searchbox', {
		name: 'Search help articles',
	} );
	act( () => void domEvent.input( field, { target: { value: words } } ) );
	await act(
		async () =>
			void domEvent.submit( field.closest( 'form' ) as HTMLFormElement )
	);
}

beforeEach( () => {
	container = document.createElement( 'div' );
	document.body.appendChild( container );
	fetchMock = jest.fn();
} );

afterEach( () => {
	act( () => render( null, container ) );
	container.remove();
} );

describe( 'the knowledge-base tab', () => {
	it( 'searches the chatflow’s articles and lists them as links that open in a new tab', async () => {
		fetchMock.mockResolvedValue(
			respond( 200, {
				articles: [
					{
						id: 7,
						title: 'Refunds & returns',
						excerpt: 'Ask for a refund within 30 days.',
						url: 'http://site.example.test/refunds/',
					},
					{
						id: 8,
						title: 'Shipping',
						excerpt: '',
						url: 'http://site.example.test/shipping/',
					},
				],
			} )
		);
		show();
		expect( screen.getByRole( 'search' ) ).toBeInTheDocument();

		await searchFor( '  refund  ' );

		const [ url ] = fetchMock.mock.calls[ 0 ];
		expect( url ).toBe( `${ SEARCH_URL }?chatflow=42&q=refund` );
		await waitFor( () =>
			expect( screen.getByRole( 'status' ) ).toHaveTextContent(
				'Articles found: 2'
			)
		);
		const items = screen.getAllByRole( 'listitem' );
		expect( items ).toHaveLength( 2 );
		const link = screen.getByRole( 'link', {
			name: 'Refunds & returns (opens in a new tab)',
		} );
		expect( link ).toHaveAttribute(
			'href',
			'http://site.example.test/refunds/'
		);
		expect( link ).toHaveAttribute( 'target', '_blank' );
		expect( link ).toHaveAttribute( 'rel', 'noopener noreferrer' );
		expect(
			screen.getByText( 'Ask for a refund within 30 days.' )
		).toBeInTheDocument();
	} );

	it( 'shows titles as text, never as HTML, and offers no link that is not http(s)', async () => {
		fetchMock.mockResolvedValue(
			respond( 200, {
				articles: [
					{
						id: 1,
						title: '<img src=x onerror=alert(1)>',
						excerpt: '',
						url: 'http://site.example.test/a/',
					},
					{
						id: 2,
						title: 'Sneaky',
						excerpt: '',
						url: 'javascript:alert(1)',
					},
				],
			} )
		);
		show();
		await searchFor( 'a' );
		await waitFor( () =>
			expect( screen.getAllByRole( 'listitem' ) ).toHaveLength( 1 )
		);
		expect( container.querySelector( 'img' ) ).toBeNull();
		expect( screen.getByRole( 'link' ) ).toHaveTextContent(
			'<img src=x onerror=alert(1)>'
		);
	} );

	it( 'says when nothing matched, and when the search failed', async () => {
		fetchMock.mockResolvedValueOnce( respond( 200, { articles: [] } ) );
		show();
		await searchFor( 'unicorns' );
		await waitFor( () =>
			expect( screen.getByRole( 'status' ) ).toHaveTextContent(
				'Nothing found.'
			)
		);
		expect( screen.queryByRole( 'list' ) ).toBeNull();

		fetchMock.mockResolvedValueOnce(
			respond( 403, { code: 'chatflows_knowledge_base_off' } )
		);
		await searchFor( 'again' );
		await waitFor( () =>
			expect( screen.getByRole( 'status' ) ).toHaveTextContent(
				'The search did not work.'
			)
		);
	} );

	it( 'announces the search while it runs, and does not search for nothing', async () => {
		fetchMock.mockReturnValue( new Promise( () => undefined ) );
		show();
		await searchFor( '   ' );
		expect( fetchMock ).not.toHaveBeenCalled();
		await searchFor( 'hours' );
		expect( screen.getByRole( 'status' ) ).toHaveTextContent(
			'Searching…'
		);
	} );

	it( 'is offered only when the chatflow’s knowledge base is on', () => {
		const context = (
			knowledgeBase: { enabled: boolean; searchUrl?: string },
			texts = true
		) => ( {
			chat: {} as ChatController,
			config: {
				chatflowId: '42',
				serviceUrl: '',
				chatWindowUrl: '',
				locale: 'en_US',
				texts: ( texts
					? { knowledge: TEXTS }
					: {} ) as WidgetConfig[ 'texts' ],
				chatflow: { knowledgeBase } as WidgetConfig[ 'chatflow' ],
			},
		} );
		expect(
			knowledgeBaseTab.enabled(
				context( { enabled: true, searchUrl: SEARCH_URL } )
			)
		).toBe( true );
		expect(
			knowledgeBaseTab.label(
				context( { enabled: true, searchUrl: SEARCH_URL } )
			)
		).toBe( 'Help' );
		expect(
			knowledgeBaseTab.enabled(
				context( { enabled: false, searchUrl: '' } )
			)
		).toBe( false );
		expect( knowledgeBaseTab.enabled( context( { enabled: true } ) ) ).toBe(
			false
		);
		expect(
			knowledgeBaseTab.enabled(
				context( { enabled: true, searchUrl: SEARCH_URL }, false )
			)
		).toBe( false );
	} );
} );
