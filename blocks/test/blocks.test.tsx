/**
 * The Live chat block's editor side (choosing the chatflow and how it shows,
 * the preview) and the page panel's mapping of its choice to the page's meta.
 * WordPress's editor packages are WordPress's own scripts at run time; here
 * they are stood in for.
 */
import apiFetch from '@wordpress/api-fetch';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { LiveChatEdit, type LiveChatAttributes } from '../live-chat';
import {
	CHATFLOW_META,
	documentSettingPanel,
	metaOf,
	modeOf,
	NO_CHAT_META,
} from '../page-panel';
import metadata from '../live-chat/block.json';

jest.mock( '@wordpress/api-fetch', () => jest.fn() );
jest.mock( '@wordpress/blocks', () => ( { registerBlockType: jest.fn() } ), {
	virtual: true,
} );
jest.mock(
	'@wordpress/block-editor',
	() => ( {
		useBlockProps: () => ( {} ),
		InspectorControls: ( { children }: { children: unknown } ) => children,
	} ),
	{ virtual: true }
);
jest.mock( '@wordpress/plugins', () => ( { registerPlugin: jest.fn() } ), {
	virtual: true,
} );
jest.mock(
	'@wordpress/edit-post',
	() => ( { PluginDocumentSettingPanel: () => null } ),
	{ virtual: true }
);
jest.mock( '@wordpress/editor', () => ( {} ), { virtual: true } );

const mockedApiFetch = apiFetch as unknown as jest.Mock;
// The editor's Placeholder measures itself; jsdom has no ResizeObserver.
window.ResizeObserver ??= class {
	observe() {}
	unobserve() {}
	disconnect() {}
} as unknown as typeof ResizeObserver;
const user = userEvent.setup( { delay: null } );

const choices = [
	{
		id: 7,
		title: 'Sales chat',
		enabled: true,
		accentColor: '#aa3300',
		teamName: 'Sales team',
		welcomeMessage: 'Questions about our plans?',
	},
	{
		id: 9,
		title: 'Old chat',
		enabled: false,
		accentColor: '#2563eb',
		teamName: '',
		welcomeMessage: 'Hello',
	},
];

function Block( {
	attributes,
	setAttributes = jest.fn(),
}: {
	attributes: LiveChatAttributes;
	setAttributes?: jest.Mock;
} ) {
	return (
		<LiveChatEdit
			attributes={ attributes }
			setAttributes={ setAttributes }
		/>
	);
}

beforeEach( () => {
	mockedApiFetch.mockReset();
	mockedApiFetch.mockResolvedValue( choices );
} );

it( 'asks for a chatflow first, offering those that are off as such', async () => {
	const setAttributes = jest.fn();
	render(
		<Block
			attributes={ { chatflowId: 0, mode: 'inline' } }
			setAttributes={ setAttributes }
		/>
	);
	expect(
		await screen.findByText(
			'Choose the chatflow whose chat shows on this page.'
		)
	).toBeInTheDocument();
	expect( mockedApiFetch ).toHaveBeenCalledWith( {
		path: '/chatflows/v1/page-choices',
	} );
	const [ select ] = screen.getAllByRole( 'combobox', { name: 'Chatflow' } );
	expect(
		screen.getAllByRole( 'option', { name: 'Old chat (off)' } )
	).not.toHaveLength( 0 );
	await user.selectOptions( select, '7' );
	expect( setAttributes ).toHaveBeenCalledWith( { chatflowId: 7 } );
} );

it( 'previews the chat inline in the chatflow’s colour and words', async () => {
	render( <Block attributes={ { chatflowId: 7, mode: 'inline' } } /> );
	expect(
		await screen.findByText( 'Questions about our plans?' )
	).toBeInTheDocument();
	expect( screen.getByText( 'Sales team' ) ).toHaveStyle( {
		background: '#aa3300',
	} );
} );

it( 'says when it only chooses the page’s chatflow, and when that chatflow is off', async () => {
	const setAttributes = jest.fn();
	const { rerender } = render(
		<Block
			attributes={ { chatflowId: 7, mode: 'select' } }
			setAttributes={ setAttributes }
		/>
	);
	expect(
		await screen.findByText(
			'Sales chat serves this page, with its usual launcher.'
		)
	).toBeInTheDocument();
	await user.click(
		screen.getByRole( 'radio', { name: 'Embed the chat here' } )
	);
	expect( setAttributes ).toHaveBeenCalledWith( { mode: 'inline' } );

	rerender( <Block attributes={ { chatflowId: 9, mode: 'inline' } } /> );
	expect(
		screen.getByText(
			'This chatflow is off: the page shows no chat until it is turned on.',
			{ selector: '.components-notice__content' }
		)
	).toBeInTheDocument();
} );

it( 'shows WordPress’s refusal instead of the choices', async () => {
	mockedApiFetch.mockRejectedValue( {
		message: 'Sorry, you are not allowed to do that.',
	} );
	render( <Block attributes={ { chatflowId: 0, mode: 'inline' } } /> );
	expect(
		await screen.findByText( 'Sorry, you are not allowed to do that.' )
	).toBeInTheDocument();
} );

describe( 'the page panel’s choice', () => {
	it( 'reads the page’s meta', () => {
		expect( modeOf( {} ) ).toBe( 'rules' );
		expect( modeOf( { [ CHATFLOW_META ]: 7 } ) ).toBe( 'chatflow' );
		expect(
			modeOf( { [ CHATFLOW_META ]: 7, [ NO_CHAT_META ]: true } )
		).toBe( 'never' );
	} );

	it( 'writes both meta fields, so no stale choice stays behind', () => {
		expect( metaOf( 'never', 7 ) ).toEqual( {
			[ NO_CHAT_META ]: true,
			[ CHATFLOW_META ]: 0,
		} );
		expect( metaOf( 'chatflow', 7 ) ).toEqual( {
			[ NO_CHAT_META ]: false,
			[ CHATFLOW_META ]: 7,
		} );
		expect( metaOf( 'rules', 7 ) ).toEqual( {
			[ NO_CHAT_META ]: false,
			[ CHATFLOW_META ]: 0,
		} );
	} );
} );

describe( 'on current and old WordPress', () => {
	it( 'the block uses block API version 3 (older ones are deprecated since WordPress 6.9)', () => {
		expect( metadata.apiVersion ).toBe( 3 );
	} );

	it( 'the page panel takes @wordpress/editor’s slot where it exists (6.6+), @wordpress/edit-post’s before', () => {
		const fromEditor = () => <div />;
		const fromEditPost = () => <div />;
		expect(
			documentSettingPanel(
				{ PluginDocumentSettingPanel: fromEditor },
				{ PluginDocumentSettingPanel: fromEditPost }
			)
		).toBe( fromEditor );
		expect(
			documentSettingPanel(
				{},
				{ PluginDocumentSettingPanel: fromEditPost }
			)
		).toBe( fromEditPost );
	} );
} );
