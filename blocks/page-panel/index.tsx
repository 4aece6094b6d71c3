/**
 * "Chat on this page", in the block editor's document settings: follow the
 * site's rules, always show one chatflow, or never show chat. The page's
 * choice beats the rules (stored in the page's meta).
 */
import { RadioControl, Spinner } from '@wordpress/components';
import { SelectControl } from '@chatflows/components';
import { useDispatch, useSelect } from '@wordpress/data';
import * as editPostPackage from '@wordpress/edit-post';
import * as editorPackage from '@wordpress/editor';
import { __ } from '@wordpress/i18n';
import { registerPlugin } from '@wordpress/plugins';

import { choiceOptions, useChatflowChoices } from '../shared/chatflow-choices';

/** The page meta the panel edits. */
export const CHATFLOW_META = '_chatflows_chatflow_id';
export const NO_CHAT_META = '_chatflows_no_chat';

type Mode = 'rules' | 'chatflow' | 'never';

/**
 * The document settings panel slot: `@wordpress/editor`'s since WordPress 6.6 (`@wordpress/edit-post`'s is
 * deprecated there), else `@wordpress/edit-post`'s (6.1 to 6.5).
 *
 * @param editorModule   `wp.editor` as the running WordPress ships it.
 * @param editPostModule `wp.editPost` as the running WordPress ships it.
 */
export function documentSettingPanel(
	editorModule: Partial< typeof editorPackage >,
	editPostModule: Partial< typeof editPostPackage >
): typeof editPostPackage.PluginDocumentSettingPanel {
	return (
		editorModule.PluginDocumentSettingPanel ??
		( editPostModule.PluginDocumentSettingPanel as typeof editPostPackage.PluginDocumentSettingPanel )
	);
}

/** The part of the `core/editor` store the panel reads. */
interface EditorSelectors {
	getEditedPostAttribute: ( name: 'meta' ) => unknown;
}

interface PageMeta {
	[ CHATFLOW_META ]?: number;
	[ NO_CHAT_META ]?: boolean;
}

/**
 * The panel's choice from the page's meta.
 *
 * @param meta The page's meta.
 */
export function modeOf( meta: PageMeta ): Mode {
	if ( meta[ NO_CHAT_META ] ) {
		return 'never';
	}
	return ( meta[ CHATFLOW_META ] ?? 0 ) > 0 ? 'chatflow' : 'rules';
}

/**
 * The meta for a choice.
 *
 * @param mode       The choice.
 * @param chatflowId The chatflow, for `chatflow`.
 */
export function metaOf( mode: Mode, chatflowId: number ): PageMeta {
	return {
		[ NO_CHAT_META ]: mode === 'never',
		[ CHATFLOW_META ]: mode === 'chatflow' ? chatflowId : 0,
	};
}

export function ChatOnThisPagePanel() {
	const meta = useSelect(
		( select ) =>
			( (
				select( 'core/editor' ) as unknown as EditorSelectors
			 ).getEditedPostAttribute( 'meta' ) ?? {} ) as PageMeta,
		[]
	);
	const { editPost } = useDispatch( 'core/editor' );
	const { choices, error } = useChatflowChoices();
	const mode = modeOf( meta );
	const chatflowId = meta[ CHATFLOW_META ] ?? 0;
	const set = ( next: Mode, id = chatflowId ) =>
		editPost( { meta: metaOf( next, id ) } );
	const firstChoice = choices?.find( ( choice ) => choice.enabled )?.id ?? 0;
	const PluginDocumentSettingPanel = documentSettingPanel(
		editorPackage,
		editPostPackage
	);

	return (
		<PluginDocumentSettingPanel
			name="chatflows-chat-on-this-page"
			title={ __( 'Chat on this page', 'chatflows' ) }
		>
			<RadioControl
				label={ __( 'Chat on this page', 'chatflows' ) }
				hideLabelFromVision
				selected={ mode }
				options={ [
					{
						value: 'rules',
						label: __( "Follow the site's rules", 'chatflows' ),
					},
					{
						value: 'chatflow',
						label: __( 'Always show a chatflow', 'chatflows' ),
					},
					{
						value: 'never',
						label: __( 'Never show chat', 'chatflows' ),
					},
				] }
				onChange={ ( next: string ) =>
					set(
						next as Mode,
						next === 'chatflow' && chatflowId <= 0
							? firstChoice
							: chatflowId
					)
				}
			/>
			{ mode === 'chatflow' && error && <p>{ error }</p> }
			{ mode === 'chatflow' && ! error && ! choices && <Spinner /> }
			{ mode === 'chatflow' && choices && (
				<SelectControl
					label={ __( 'Chatflow', 'chatflows' ) }
					value={ String( chatflowId ) }
					options={ choiceOptions(
						choices,
						__( 'Choose a chatflow', 'chatflows' )
					) }
					onChange={ ( value: string ) =>
						set( 'chatflow', Number( value ) )
					}
				/>
			) }
		</PluginDocumentSettingPanel>
	);
}

registerPlugin( 'chatflows-page-panel', {
	render: ChatOnThisPagePanel,
	icon: 'format-chat',
} );
