/**
 * The `chatflows/live-chat` block: embeds a chatflow's chat at its spot in
 * the content, or only chooses the chatflow that serves the page. WordPress
 * renders it (Targeting_Blocks::render); the editor shows a preview.
 */
import { InspectorControls, useBlockProps } from '@wordpress/block-editor';
import { registerBlockType } from '@wordpress/blocks';
import {
	Notice,
	PanelBody,
	Placeholder,
	RadioControl,
	Spinner,
} from '@wordpress/components';
import { SelectControl } from '@chatflows/components';
import { __, sprintf } from '@wordpress/i18n';

import {
	choiceOptions,
	useChatflowChoices,
	type ChatflowChoice,
} from '../shared/chatflow-choices';
import metadata from './block.json';
import './editor.css';

export interface LiveChatAttributes {
	chatflowId: number;
	mode: 'inline' | 'select';
}

/**
 * A still picture of the chat window, in the chatflow's colour and words.
 *
 * @param props        Props.
 * @param props.choice The chatflow.
 */
export function ChatPreview( { choice }: { choice: ChatflowChoice } ) {
	return (
		<div
			className="chatflows-block-preview"
			style={ { borderColor: choice.accentColor } }
		>
			<div
				className="chatflows-block-preview__heading"
				style={ { background: choice.accentColor } }
			>
				{ choice.teamName || choice.title }
			</div>
			<p className="chatflows-block-preview__message">
				{ choice.welcomeMessage }
			</p>
			<div className="chatflows-block-preview__composer">
				{ __( 'Message', 'chatflows' ) }
			</div>
		</div>
	);
}

/**
 * The block in the editor.
 *
 * @param props               Props.
 * @param props.attributes    The block's attributes.
 * @param props.setAttributes Sets attributes.
 */
export function LiveChatEdit( {
	attributes,
	setAttributes,
}: {
	attributes: LiveChatAttributes;
	setAttributes: ( attributes: Partial< LiveChatAttributes > ) => void;
} ) {
	const blockProps = useBlockProps();
	const { choices, error } = useChatflowChoices();
	const chosen = choices?.find(
		( choice ) => choice.id === attributes.chatflowId
	);

	const chatflowSelect = choices && (
		<SelectControl
			label={ __( 'Chatflow', 'chatflows' ) }
			value={ String( attributes.chatflowId ) }
			options={ choiceOptions(
				choices,
				__( 'Choose a chatflow', 'chatflows' )
			) }
			onChange={ ( value: string ) =>
				setAttributes( { chatflowId: Number( value ) } )
			}
		/>
	);
	const modeRadio = (
		<RadioControl
			label={ __( 'On the page', 'chatflows' ) }
			selected={ attributes.mode }
			options={ [
				{
					value: 'inline',
					label: __( 'Embed the chat here', 'chatflows' ),
				},
				{
					value: 'select',
					label: __(
						'Only choose the chatflow of this page (the usual launcher)',
						'chatflows'
					),
				},
			] }
			onChange={ ( mode: string ) =>
				setAttributes( { mode: mode as LiveChatAttributes[ 'mode' ] } )
			}
		/>
	);

	let body;
	if ( error ) {
		body = (
			<Notice status="error" isDismissible={ false }>
				{ error }
			</Notice>
		);
	} else if ( ! choices ) {
		body = <Spinner />;
	} else if ( ! chosen ) {
		body = (
			<Placeholder
				icon="format-chat"
				label={ __( 'Live chat', 'chatflows' ) }
				instructions={
					choices.length
						? __(
								'Choose the chatflow whose chat shows on this page.',
								'chatflows'
							)
						: __(
								'There is no chatflow yet: create one under Chatflows.',
								'chatflows'
							)
				}
			>
				{ chatflowSelect }
			</Placeholder>
		);
	} else {
		body = (
			<>
				{ ! chosen.enabled && (
					<Notice status="warning" isDismissible={ false }>
						{ __(
							'This chatflow is off: the page shows no chat until it is turned on.',
							'chatflows'
						) }
					</Notice>
				) }
				{ attributes.mode === 'inline' ? (
					<ChatPreview choice={ chosen } />
				) : (
					<p className="chatflows-block-note">
						{ sprintf(
							/* translators: %s: chatflow name. */
							__(
								'%s serves this page, with its usual launcher.',
								'chatflows'
							),
							chosen.title
						) }
					</p>
				) }
			</>
		);
	}

	return (
		<div { ...blockProps }>
			<InspectorControls>
				<PanelBody title={ __( 'Live chat', 'chatflows' ) }>
					{ chatflowSelect }
					{ modeRadio }
				</PanelBody>
			</InspectorControls>
			{ body }
		</div>
	);
}

registerBlockType< LiveChatAttributes >( metadata.name, {
	edit: LiveChatEdit,
	// Rendered by WordPress on each request.
	save: () => null,
} );
