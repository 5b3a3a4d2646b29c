/**
 * The webview's controls (@vscode/webview-ui-toolkit), bundled apart (dist/webview-toolkit.js) and
 * loaded by webview/main.ts after the page's first paint: defining the components (FAST's templates,
 * styles and design tokens) costs the first paint tens of ms and nothing on it needs them to be read.
 * Until they are defined, the page's vscode-* elements are kept out of sight (main.css, `:not(:defined)`)
 * and take their place when they are. Their colours are the theme's: webview/lateLoad.ts.
 */
import { runLateLoadListeners } from './lateLoad';
import {
  provideVSCodeDesignSystem,
  vsCodeBadge,
  vsCodeButton,
  vsCodeDivider,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeProgressRing,
  vsCodeTag,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

provideVSCodeDesignSystem().register(
  vsCodeBadge(),
  vsCodeButton(),
  vsCodeDivider(),
  vsCodeDropdown(),
  vsCodeOption(),
  vsCodeProgressRing(),
  vsCodeTag(),
  vsCodeTextField(),
);
// The toolkit's theme listener (lateLoad.ts): the tokens take the current theme's colours now.
runLateLoadListeners();
