/**
 * The knowledge-base tab: a labelled search field, the results as a list of
 * links that open each article in a new tab, and a status line screen
 * readers announce. Everything is plain text from the site's search route.
 */
import { useRef, useState } from 'preact/hooks';

import type { KnowledgeBaseTexts } from '../../page-settings';
import type { ChatWindowTab } from '../extensions';
import { fill } from '../text';
import { searchArticles, type Article } from './search';

interface KnowledgeBaseProps {
	searchUrl: string;
	chatflowId: string;
	texts: KnowledgeBaseTexts;
	/** Tests pass their own. */
	fetchImpl?: typeof fetch;
}

type SearchState =
	| { phase: 'idle' }
	| { phase: 'searching' }
	| { phase: 'done'; articles: Article[] }
	| { phase: 'failed' };

/**
 * The tab's content.
 *
 * @param props Props.
 */
export function KnowledgeBase( props: KnowledgeBaseProps ) {
	const { searchUrl, chatflowId, texts, fetchImpl } = props;
	const [ words, setWords ] = useState( '' );
	const [ search, setSearch ] = useState< SearchState >( { phase: 'idle' } );
	// Only the newest search may show its answer.
	const latest = useRef( 0 );

	const submit = async ( event: Event ) => {
		event.preventDefault();
		const query = words.trim();
		if ( ! query ) {
			return;
		}
		const ticket = ++latest.current;
		setSearch( { phase: 'searching' } );
		try {
			const articles = await searchArticles(
				searchUrl,
				chatflowId,
				query,
				fetchImpl
			);
			if ( ticket === latest.current ) {
				setSearch( { phase: 'done', articles } );
			}
		} catch {
			if ( ticket === latest.current ) {
				setSearch( { phase: 'failed' } );
			}
		}
	};

	let status = '';
	if ( search.phase === 'searching' ) {
		status = texts.searching;
	} else if ( search.phase === 'failed' ) {
		status = texts.failed;
	} else if ( search.phase === 'done' ) {
		status = search.articles.length
			? fill( texts.results, search.articles.length )
			: texts.noResults;
	}

	return (
		<div className="knowledge-base">
			<form role="search" className="kb-search" onSubmit={ submit }>
				<label htmlFor="chatflows-kb-search">
					{ texts.searchLabel }
				</label>
				<div className="row">
					<input
						id="chatflows-kb-search"
						type="search"
						data-autofocus
						value={ words }
						maxLength={ 100 }
						onInput={ ( event ) =>
							setWords(
								( event.target as HTMLInputElement ).value
							)
						}
					/>
					<button type="submit" className="secondary">
						{ texts.search }
					</button>
				</div>
			</form>
			<p className="kb-status" role="status">
				{ status }
			</p>
			{ search.phase === 'done' && search.articles.length > 0 && (
				<ul className="kb-results">
					{ search.articles.map( ( article ) => (
						<li key={ article.id }>
							<a
								href={ article.url }
								target="_blank"
								rel="noopener noreferrer"
							>
								{ article.title }
								<span className="visually-hidden">
									{ ` ${ texts.opensInNewTab }` }
								</span>
							</a>
							{ article.excerpt && <p>{ article.excerpt }</p> }
						</li>
					) ) }
				</ul>
			) }
		</div>
	);
}

/** The tab, where the chatflow's knowledge base is on. */
export const knowledgeBaseTab: ChatWindowTab = {
	id: 'knowledge-base',
	enabled: ( { config } ) =>
		Boolean(
			config.chatflow?.knowledgeBase.enabled &&
			config.chatflow.knowledgeBase.searchUrl &&
			config.texts.knowledge
		),
	label: ( { config } ) => config.texts.knowledge?.tab ?? '',
	render: ( { config } ) =>
		config.texts.knowledge && config.chatflow?.knowledgeBase.searchUrl ? (
			<KnowledgeBase
				searchUrl={ config.chatflow.knowledgeBase.searchUrl }
				chatflowId={ config.chatflowId }
				texts={ config.texts.knowledge }
			/>
		) : null,
};

/** Styles of the tab, added to the window's. */
export const KNOWLEDGE_BASE_STYLE = `
.knowledge-base{flex:1;overflow-y:auto;display:flex;flex-direction:column}
.kb-search{border-top:0;border-bottom:1px solid #ddd}
.kb-search label{margin-top:0}
.kb-status{margin:0;padding:8px 16px;font-size:13px}
.kb-status:empty{display:none}
.kb-results{list-style:none;margin:0;padding:0 16px 12px}
.kb-results li{padding:10px 0;border-bottom:1px solid #eee}
.kb-results a{color:#0a4b9e;font-weight:600;text-decoration:underline;overflow-wrap:anywhere}
.kb-results p{margin:4px 0 0;font-size:13px;color:#3c3c3c}
`;
