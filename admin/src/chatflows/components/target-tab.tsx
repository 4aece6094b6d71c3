/**
 * The Target tab: where the chatflow shows. All pages, or groups of rules
 * (every rule of a group: and; any group: or), exclusions that always win,
 * the "Where does chat show?" tester and pages outside WordPress.
 */
import apiFetch from '@wordpress/api-fetch';
import { Button, Notice, Spinner } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { API_ROOT } from '../store/api';
import { outsidePageSnippet, type EmbedUrls } from '../outside-page-snippet';
import type { TargetGroup, TargetRule } from '@chatflows/chatflow-model';
import {
	FieldError,
	FieldGroup,
	ToggleField,
	useChatflowForm,
} from './form-context';
import { TargetOutsidePages } from './target-outside-pages';
import { newRule, TargetRuleFields, type RoleOption } from './target-rule';
import { TargetTester } from './target-tester';
import './target-tab.css';

/** What `GET chatflows/v1/targeting` answers. */
interface TargetingData {
	roles: RoleOption[];
	homeUrl: string;
	origins: string[];
	embed: EmbedUrls;
}

function useTargetingData() {
	const [ data, setData ] = useState< TargetingData | null >( null );
	const [ failed, setFailed ] = useState( false );
	useEffect( () => {
		let current = true;
		apiFetch< TargetingData >( { path: `${ API_ROOT }/targeting` } )
			.then( ( answer ) => current && setData( answer ) )
			.catch( () => current && setFailed( true ) );
		return () => {
			current = false;
		};
	}, [] );
	return { data, failed };
}

/**
 * A list with one item replaced.
 *
 * @param list  List.
 * @param index Index.
 * @param item  New item.
 */
function replaced< T >( list: T[], index: number, item: T ): T[] {
	return list.map( ( current, at ) => ( at === index ? item : current ) );
}

export function TargetTab() {
	const { settings, update, errors } = useChatflowForm();
	const { data, failed } = useTargetingData();
	const target = settings.target;
	const groups = target.include as TargetGroup[];
	const roles = data?.roles ?? [];

	const setGroups = ( next: TargetGroup[] ) =>
		update( 'target.include', next );
	const setExclusions = ( next: TargetRule[] ) =>
		update( 'target.exclude', next );

	return (
		<>
			<FieldGroup title={ __( 'Show the chat on', 'chatflows' ) }>
				<ToggleField
					path="target.allPages"
					label={ __( 'All pages', 'chatflows' ) }
					help={ __(
						'Exclusions below still hide it. A page can also choose its chat itself, in its "Chat on this page" settings or with the Live chat block.',
						'chatflows'
					) }
				/>
				{ target.allPages ? (
					groups.length > 0 && (
						<p className="chatflows-field-hint">
							{ __(
								'While "All pages" is on, the groups of rules are not used.',
								'chatflows'
							) }
						</p>
					)
				) : (
					<>
						<p>
							{ __(
								'The chat shows where every rule of a group holds. With several groups, any one group is enough.',
								'chatflows'
							) }
						</p>
						{ groups.map( ( group, groupIndex ) => (
							<div key={ groupIndex }>
								{ groupIndex > 0 && (
									<p className="chatflows-target-or">
										{ __( 'or', 'chatflows' ) }
									</p>
								) }
								<div
									className="chatflows-target-group"
									role="group"
									aria-label={ sprintf(
										/* translators: %d: group number. */
										__( 'Group %d', 'chatflows' ),
										groupIndex + 1
									) }
								>
									<h3>
										{ sprintf(
											/* translators: %d: group number. */
											__(
												'Group %d: all of these',
												'chatflows'
											),
											groupIndex + 1
										) }
									</h3>
									{ group.rules.map( ( rule, ruleIndex ) => (
										<div key={ ruleIndex }>
											{ ruleIndex > 0 && (
												<p className="chatflows-target-and">
													{ __( 'and', 'chatflows' ) }
												</p>
											) }
											<TargetRuleFields
												path={ `target.include[${ groupIndex }].rules[${ ruleIndex }]` }
												rule={ rule }
												roles={ roles }
												label={ sprintf(
													/* translators: 1: group number; 2: rule number. */
													__(
														'Group %1$d, rule %2$d',
														'chatflows'
													),
													groupIndex + 1,
													ruleIndex + 1
												) }
												onChange={ ( next ) =>
													setGroups(
														replaced(
															groups,
															groupIndex,
															{
																rules: replaced(
																	group.rules as TargetRule[],
																	ruleIndex,
																	next
																),
															}
														)
													)
												}
												onRemove={ () =>
													setGroups(
														replaced(
															groups,
															groupIndex,
															{
																rules: group.rules.filter(
																	(
																		_r,
																		at
																	) =>
																		at !==
																		ruleIndex
																),
															}
														)
													)
												}
											/>
										</div>
									) ) }
									<FieldError
										path={ `target.include[${ groupIndex }].rules` }
										message={
											errors[
												`settings.target.include[${ groupIndex }].rules`
											]
										}
									/>
									<div className="chatflows-target-group__actions">
										<Button
											variant="secondary"
											onClick={ () =>
												setGroups(
													replaced(
														groups,
														groupIndex,
														{
															rules: [
																...group.rules,
																newRule(),
															],
														}
													)
												)
											}
										>
											{ __(
												'Add a rule (and)',
												'chatflows'
											) }
										</Button>
										<Button
											variant="link"
											isDestructive
											onClick={ () =>
												setGroups(
													groups.filter(
														( _g, at ) =>
															at !== groupIndex
													)
												)
											}
										>
											{ __(
												'Remove group',
												'chatflows'
											) }
										</Button>
									</div>
								</div>
							</div>
						) ) }
						{ groups.length === 0 && (
							<p className="chatflows-field-hint">
								{ __(
									'No rules yet: the chat shows only on pages that choose this chatflow.',
									'chatflows'
								) }
							</p>
						) }
						<Button
							variant="secondary"
							onClick={ () =>
								setGroups( [
									...groups,
									{ rules: [ newRule() ] },
								] )
							}
						>
							{ groups.length
								? __( 'Add a group (or)', 'chatflows' )
								: __( 'Add a group of rules', 'chatflows' ) }
						</Button>
					</>
				) }
			</FieldGroup>

			<FieldGroup title={ __( 'Never show the chat', 'chatflows' ) }>
				<p>
					{ __(
						'Where any one of these holds, the chat never shows, e.g. on the privacy policy.',
						'chatflows'
					) }
				</p>
				{ target.exclude.map( ( rule, index ) => (
					<TargetRuleFields
						key={ index }
						path={ `target.exclude[${ index }]` }
						rule={ rule }
						roles={ roles }
						label={ sprintf(
							/* translators: %d: exclusion number. */
							__( 'Exclusion %d', 'chatflows' ),
							index + 1
						) }
						onChange={ ( next ) =>
							setExclusions(
								replaced( target.exclude, index, next )
							)
						}
						onRemove={ () =>
							setExclusions(
								target.exclude.filter(
									( _r, at ) => at !== index
								)
							)
						}
					/>
				) ) }
				<Button
					variant="secondary"
					onClick={ () =>
						setExclusions( [ ...target.exclude, newRule() ] )
					}
				>
					{ __( 'Add an exclusion', 'chatflows' ) }
				</Button>
			</FieldGroup>

			<FieldGroup title={ __( 'Where does chat show?', 'chatflows' ) }>
				{ failed && (
					<Notice status="error" isDismissible={ false }>
						{ __(
							'The site’s roles and address could not be loaded.',
							'chatflows'
						) }
					</Notice>
				) }
				{ ! data && ! failed && <Spinner /> }
				{ data && (
					<TargetTester homeUrl={ data.homeUrl } roles={ roles } />
				) }
			</FieldGroup>

			<FieldGroup title={ __( 'Pages outside WordPress', 'chatflows' ) }>
				{ data && (
					<TargetOutsidePages
						origins={ data.origins }
						snippet={ outsidePageSnippet( data.embed ) }
					/>
				) }
			</FieldGroup>
		</>
	);
}
