/**
 * "Where does chat show?": a URL and a visitor, and WordPress answers which
 * chatflow serves them and which rule decided (`POST chatflows/v1/target-test`).
 * It tests the saved chatflows, in their saved priority order.
 */
import { Button, Notice } from '@wordpress/components';
import {
	CheckboxControl,
	SelectControl,
	TextControl,
} from '@chatflows/components';
import apiFetch from '@wordpress/api-fetch';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { DEVICE_TYPES, deviceName } from '../../components/device-name';
import { errorsFromRestError } from '../form/field-errors';
import { API_ROOT } from '../store/api';
import type { RoleOption } from './target-rule';

/** WordPress's answer. */
export interface TargetTestAnswer {
	chatflow: { id: number; title: string } | null;
	decidedBy: { kind: string; path: string | null };
	message: string;
	steps: Array< {
		id: number;
		title: string;
		result: 'yes' | 'no' | 'off';
		path: string | null;
		message: string;
	} >;
}

/**
 * The tester.
 *
 * @param props         Props.
 * @param props.homeUrl The site's address, the first URL to test.
 * @param props.roles   The site's roles.
 */
export function TargetTester( {
	homeUrl,
	roles,
}: {
	homeUrl: string;
	roles: RoleOption[];
} ) {
	const [ url, setUrl ] = useState( homeUrl );
	const [ contact, setContact ] = useState< string >( 'unknown' );
	const [ device, setDevice ] = useState< string >( 'desktop' );
	const [ referrer, setReferrer ] = useState( '' );
	const [ language, setLanguage ] = useState( '' );
	const [ loggedIn, setLoggedIn ] = useState( false );
	const [ role, setRole ] = useState( '' );
	const [ answer, setAnswer ] = useState< TargetTestAnswer | null >( null );
	const [ error, setError ] = useState< string | null >( null );
	const [ busy, setBusy ] = useState( false );

	const test = async () => {
		setBusy( true );
		setError( null );
		try {
			setAnswer(
				await apiFetch< TargetTestAnswer >( {
					path: `${ API_ROOT }/target-test`,
					method: 'POST',
					data: {
						url,
						traits: {
							contact,
							device,
							referrer,
							language,
							loggedIn,
							role,
						},
					},
				} )
			);
		} catch ( caught ) {
			const mapped = errorsFromRestError( caught );
			setAnswer( null );
			setError(
				Object.values( mapped.fields )[ 0 ] ??
					mapped.general ??
					__( 'The test did not work.', 'chatflows' )
			);
		} finally {
			setBusy( false );
		}
	};

	return (
		<div className="chatflows-target-tester">
			<p>
				{ __(
					'Tests the saved chatflows, in their priority order: save your changes first.',
					'chatflows'
				) }
			</p>
			<TextControl
				label={ __( 'Page URL', 'chatflows' ) }
				type="url"
				value={ url }
				onChange={ setUrl }
			/>
			<div className="chatflows-target-tester__traits">
				<SelectControl
					label={ __( 'Visitor', 'chatflows' ) }
					value={ contact }
					options={ [
						{
							value: 'unknown' as string,
							label: __( 'Unknown visitor', 'chatflows' ),
						},
						{
							value: 'known',
							label: __( 'Known contact', 'chatflows' ),
						},
					] }
					onChange={ setContact }
				/>
				<SelectControl
					label={ __( 'Device', 'chatflows' ) }
					value={ device }
					options={ DEVICE_TYPES.map( ( type ) => ( {
						value: type as string,
						label: deviceName( type ),
					} ) ) }
					onChange={ setDevice }
				/>
				<TextControl
					label={ __( 'Referrer', 'chatflows' ) }
					value={ referrer }
					onChange={ setReferrer }
				/>
				<TextControl
					label={ __( 'Page language', 'chatflows' ) }
					placeholder="en-US"
					value={ language }
					onChange={ setLanguage }
				/>
				<CheckboxControl
					label={ __( 'Logged in to WordPress', 'chatflows' ) }
					checked={ loggedIn }
					onChange={ setLoggedIn }
				/>
				{ loggedIn && (
					<SelectControl
						label={ __( 'Role', 'chatflows' ) }
						value={ role }
						options={ [
							{ value: '', label: __( 'No role', 'chatflows' ) },
							...roles,
						] }
						onChange={ setRole }
					/>
				) }
			</div>
			<Button
				variant="secondary"
				onClick={ test }
				isBusy={ busy }
				disabled={ busy }
			>
				{ __( 'Test', 'chatflows' ) }
			</Button>
			{ error && (
				<Notice status="error" isDismissible={ false }>
					{ error }
				</Notice>
			) }
			{ answer && (
				<div className="chatflows-target-tester__answer" role="status">
					<p>
						<strong>
							{ answer.chatflow
								? answer.chatflow.title
								: __( 'No chat', 'chatflows' ) }
						</strong>
						{ ' — ' }
						{ answer.message }
						{ answer.decidedBy.path && (
							<code> { answer.decidedBy.path }</code>
						) }
					</p>
					{ answer.steps.length > 0 && (
						<ol>
							{ answer.steps.map( ( step ) => (
								<li key={ step.id }>
									{ step.title }: { step.message }
								</li>
							) ) }
						</ol>
					) }
				</div>
			) }
		</div>
	);
}
