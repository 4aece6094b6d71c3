/**
 * The real visitor widget's client (`VisitorChat`, widget/src/chat-window/
 * visitor-chat.ts), bundled for Node with esbuild and run here with small
 * stand-ins for the browser globals it touches (the page's location and
 * document, local storage). Its socket is a socket.io-client socket over
 * WebSocket through the harness's balancer, made by the widget's own
 * `SocketFactory` hook.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { io } from 'socket.io-client';
import {
	type ChatMessage,
	RECONNECTION,
	type VisitorClientToServerEvents,
	type VisitorServerToClientEvents,
} from '@chatflows/protocol';
import type { Socket } from 'socket.io-client';

const WIDGET_CLIENT = 'widget/src/chat-window/visitor-chat.ts';

/** The repository: from here in the sources, or from the bundle in build/. */
export function repositoryRoot(): string {
	for (
		let dir = __dirname;
		dir !== path.dirname( dir );
		dir = path.dirname( dir )
	) {
		if ( fs.existsSync( path.join( dir, WIDGET_CLIENT ) ) ) {
			return dir;
		}
	}
	throw new Error( `${ WIDGET_CLIENT } not found above ${ __dirname }` );
}

export type VisitorSocket = Socket<
	VisitorServerToClientEvents,
	VisitorClientToServerEvents
>;

/** What the harness uses of the widget's `VisitorChat` (its `ChatController`). */
export interface WidgetChat {
	getState: () => {
		status: string;
		messages: ChatMessage[];
		pending: Array< { clientId: string; body: string } >;
		conversation: { id: string } | null;
	};
	send: ( body: string ) => void;
	sessionToken: () => string | undefined;
	close: () => void;
}

type SocketFactory = (
	url: string,
	auth: ( send: ( data: object ) => void ) => void
) => VisitorSocket;

interface WidgetModule {
	VisitorChat: new ( config: object, connect: SocketFactory ) => WidgetChat;
}

let loaded: WidgetModule | null = null;

/** An in-memory `Storage`. */
class MemoryStorage {
	private readonly items = new Map< string, string >();

	getItem( key: string ): string | null {
		return this.items.get( key ) ?? null;
	}

	setItem( key: string, value: string ): void {
		this.items.set( key, String( value ) );
	}

	removeItem( key: string ): void {
		this.items.delete( key );
	}

	clear(): void {
		this.items.clear();
	}

	key( index: number ): string | null {
		return [ ...this.items.keys() ][ index ] ?? null;
	}

	get length(): number {
		return this.items.size;
	}
}

/** The storage the next `VisitorChat` reads its session from (each visitor has its own browser). */
let currentStorage = new MemoryStorage();

/**
 * Puts the browser globals the widget's client reads into this Node
 * process: a page (location, document, navigator, viewport) and storage.
 *
 * @param pageUrl The page the widget sits on.
 */
function installBrowserGlobals( pageUrl: string ): void {
	const page = {
		location: { href: pageUrl },
		document: { title: 'Pricing', referrer: '' },
		navigator: { language: 'en-US' },
		innerWidth: 1280,
		matchMedia: () => ( { matches: false } ),
		get localStorage() {
			return currentStorage;
		},
		get sessionStorage() {
			return currentStorage;
		},
	};
	( globalThis as Record< string, unknown > ).window = page;
}

/**
 * Bundles the widget's client with esbuild (packages stay external and load
 * from this repository's node_modules) and loads it.
 *
 * @param pageUrl The page the widget sits on.
 */
export function loadWidget( pageUrl: string ): WidgetModule {
	if ( loaded ) {
		return loaded;
	}
	installBrowserGlobals( pageUrl );
	const root = repositoryRoot();
	const result = buildSync( {
		absWorkingDir: root,
		entryPoints: [ WIDGET_CLIENT ],
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		packages: 'external',
		write: false,
		logLevel: 'silent',
	} );
	const code = result.outputFiles[ 0 ].text;
	const module = { exports: {} as WidgetModule };
	const load = new Function( 'module', 'exports', 'require', code );
	load(
		module,
		module.exports,
		createRequire( path.join( root, 'package.json' ) )
	);
	loaded = module.exports;
	return loaded;
}

export interface OpenedTab {
	chat: WidgetChat;
	socket: VisitorSocket;
}

/**
 * Opens a tab of the widget: a `VisitorChat` on its own socket.
 *
 * @param options            Options.
 * @param options.serviceUrl Where the widget connects (the balancer).
 * @param options.chatflowId The chatflow.
 * @param options.pageUrl    The page.
 * @param options.origin     The page's origin (sent as the Origin header, as a browser does).
 * @param options.session    The visitor's session, for a second tab (read from storage, as the widget does).
 * @param options.onSocket   Called with the socket before it connects (the harness listens to it).
 */
export function openTab( options: {
	serviceUrl: string;
	chatflowId: string;
	pageUrl: string;
	origin: string;
	session?: string;
	onSocket: ( socket: VisitorSocket ) => void;
} ): OpenedTab {
	const widget = loadWidget( options.pageUrl );
	let socket: VisitorSocket | null = null;
	const storage = new MemoryStorage();
	if ( options.session ) {
		storage.setItem( 'chatflows:session', options.session );
	}
	currentStorage = storage;
	const chat = new widget.VisitorChat(
		{
			serviceUrl: options.serviceUrl,
			chatflowId: options.chatflowId,
			locale: 'en_US',
		},
		( url, auth ) => {
			socket = io( url, {
				// As the widget connects (its reconnection delays are measured).
				...RECONNECTION,
				auth,
				transports: [ 'websocket' ],
				extraHeaders: { origin: options.origin },
				forceNew: true,
			} ) as VisitorSocket;
			options.onSocket( socket );
			return socket;
		}
	);
	if ( ! socket ) {
		throw new Error( 'VisitorChat did not open its socket' );
	}
	return { chat, socket };
}
