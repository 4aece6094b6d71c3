/**
 * Dates in wp-admin follow WordPress's language, not the browser's.
 */
import { adminLocale } from '../admin-locale';
import { formatModified } from '../../chatflows/components/chatflow-list';
import { localTime } from '../../inbox/components/context-panel';

describe( 'adminLocale', () => {
	afterEach( () => {
		document.documentElement.lang = '';
	} );

	it( 'is the language of the admin page', () => {
		document.documentElement.lang = 'da-DK';
		expect( adminLocale() ).toBe( 'da-DK' );
	} );

	it( 'leaves the choice to the browser when the page names none', () => {
		expect( adminLocale() ).toBeUndefined();
	} );

	it( 'writes the chatflow list’s dates in that language', () => {
		const iso = '2026-03-05T10:00:00Z';
		document.documentElement.lang = 'da-DK';
		const danish = formatModified( iso );
		document.documentElement.lang = 'nl-NL';
		const dutch = formatModified( iso );
		document.documentElement.lang = 'en-US';
		const english = formatModified( iso );

		expect( danish ).toMatch( /\bmar\.? 2026/ );
		expect( dutch ).toMatch( /\bmrt\.? 2026/ );
		expect( english ).toMatch( /Mar 5, 2026/ );
	} );

	it( 'writes the visitor’s local time in the inbox in that language', () => {
		const thursday = new Date( '2026-03-05T10:00:00Z' );
		document.documentElement.lang = 'da-DK';
		expect( localTime( 'Europe/Copenhagen', thursday ) ).toMatch( /^tor/ );
		document.documentElement.lang = 'nl-NL';
		expect( localTime( 'Europe/Copenhagen', thursday ) ).toMatch( /^do/ );
		document.documentElement.lang = 'en-US';
		expect( localTime( 'Europe/Copenhagen', thursday ) ).toMatch( /^Thu/ );
	} );
} );
