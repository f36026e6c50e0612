// The commands tmux 2.7 (Oracle Linux / RHEL 8) knows, with the flags each accepts, taken
// from the `cmd_entry` tables in cmd-*.c at tag 2.7 of github.com/tmux/tmux: name, alias,
// args template (getopt letters; a ':' after a letter means it takes a value), least and
// most arguments after the flags (-1: no limit), and the usage text (CMD_*_USAGE macros of
// tmux.h expanded, adjacent string literals joined exactly as the compiler does). The
// client's own flags are the getopt string of main() in tmux.c at the same tag.
// Used by the old-tmux wrapper of the compat e2e test (test/helpers/oldtools/oldTmux.ts).

export const TMUX_VERSION = '2.7';

/** getopt string of tmux's main() (tmux.c). */
export const TMUX_CLIENT_FLAGS = '2c:Cdf:lL:qS:uUVv';

/** What tmux prints for a bad client flag (usage() in tmux.c). */
export const TMUX_CLIENT_USAGE = 'usage: tmux [-2CluvV] [-c shell-command] [-f file] [-L socket-name]\n            [-S socket-path] [command [flags]]\n';

export interface TmuxCommand {
  name: string;
  alias: string | null;
  template: string;
  lower: number;
  upper: number;
  usage: string;
}

const T = (name: string, alias: string | null, template: string, lower: number, upper: number, usage: string): TmuxCommand => ({ name, alias, template, lower, upper, usage });

export const TMUX_COMMANDS: TmuxCommand[] = [
  T("attach-session","attach","c:dErt:",0,0,"[-dEr] [-c working-directory] [-t target-session]"),
  T("bind-key","bind","cnrT:",2,-1,"[-cnr] [-T key-table] key command [arguments]"),
  T("break-pane","breakp","dPF:n:s:t:",0,0,"[-dP] [-F format] [-n window-name] [-s src-pane] [-t dst-window]"),
  T("capture-pane","capturep","ab:CeE:JpPqS:t:",0,0,"[-aCeJpPq] [-b buffer-name] [-E end-line] [-S start-line][-t target-pane]"),
  T("choose-buffer",null,"F:f:NO:t:Z",0,1,"[-N] [-F format] [-f filter] [-O sort-order] [-t target-pane]"),
  T("choose-client",null,"F:f:NO:t:Z",0,1,"[-N] [-F format] [-f filter] [-O sort-order] [-t target-pane]"),
  T("choose-tree",null,"F:Gf:NO:st:wZ",0,1,"[-GNsw] [-F format] [-f filter] [-O sort-order] [-t target-pane]"),
  T("clear-history","clearhist","t:",0,0,"[-t target-pane]"),
  T("clock-mode",null,"t:",0,0,"[-t target-pane]"),
  T("command-prompt",null,"1iI:Np:t:",0,1,"[-1Ni] [-I inputs] [-p prompts] [-t target-client] [template]"),
  T("confirm-before","confirm","p:t:",1,1,"[-p prompt] [-t target-client] command"),
  T("copy-mode",null,"Met:u",0,0,"[-Mu] [-t target-pane]"),
  T("delete-buffer","deleteb","b:",0,0,"[-b buffer-name]"),
  T("detach-client","detach","aE:s:t:P",0,0,"[-aP] [-E shell-command] [-s target-session] [-t target-client]"),
  T("display-message","display","c:pt:F:",0,1,"[-p] [-c target-client] [-F format] [-t target-pane] [message]"),
  T("display-panes","displayp","d:t:",0,1,"[-d duration] [-t target-client]"),
  T("find-window","findw","CNt:T",1,1,"[-CNT] [-t target-pane] match-string"),
  T("has-session","has","t:",0,0,"[-t target-session]"),
  T("if-shell","if","bFt:",2,3,"[-bF] [-t target-pane] shell-command command [command]"),
  T("join-pane","joinp","bdhvp:l:s:t:",0,0,"[-bdhv] [-p percentage|-l size] [-s src-pane] [-t dst-pane]"),
  T("kill-pane","killp","at:",0,0,"[-a] [-t target-pane]"),
  T("kill-server",null,"",0,0,""),
  T("kill-session",null,"aCt:",0,0,"[-aC] [-t target-session]"),
  T("kill-window","killw","at:",0,0,"[-a] [-t target-window]"),
  T("last-pane","lastp","det:",0,0,"[-de] [-t target-window]"),
  T("last-window","last","t:",0,0,"[-t target-session]"),
  T("link-window","linkw","adks:t:",0,0,"[-dk] [-s src-window] [-t dst-window]"),
  T("list-buffers","lsb","F:",0,0,"[-F format]"),
  T("list-clients","lsc","F:t:",0,0,"[-F format] [-t target-session]"),
  T("list-commands","lscm","F:",0,0,"[-F format]"),
  T("list-keys","lsk","T:",0,0,"[-T key-table]"),
  T("list-panes","lsp","asF:t:",0,0,"[-as] [-F format] [-t target-window]"),
  T("list-sessions","ls","F:",0,0,"[-F format]"),
  T("list-windows","lsw","F:at:",0,0,"[-a] [-F format] [-t target-session]"),
  T("load-buffer","loadb","b:",1,1,"[-b buffer-name] path"),
  T("lock-client","lockc","t:",0,0,"[-t target-client]"),
  T("lock-server","lock","",0,0,""),
  T("lock-session","locks","t:",0,0,"[-t target-session]"),
  T("move-pane","movep","bdhvp:l:s:t:",0,0,"[-bdhv] [-p percentage|-l size] [-s src-pane] [-t dst-pane]"),
  T("move-window","movew","adkrs:t:",0,0,"[-dkr] [-s src-window] [-t dst-window]"),
  T("new-session","new","Ac:dDEF:n:Ps:t:x:y:",0,-1,"[-AdDEP] [-c start-directory] [-F format] [-n window-name] [-s session-name] [-t target-session] [-x width] [-y height] [command]"),
  T("new-window","neww","ac:dF:kn:Pt:",0,-1,"[-adkP] [-c start-directory] [-F format] [-n window-name] [-t target-window] [command]"),
  T("next-layout","nextl","t:",0,0,"[-t target-window]"),
  T("next-window","next","at:",0,0,"[-a] [-t target-session]"),
  T("paste-buffer","pasteb","db:prs:t:",0,0,"[-dpr] [-s separator] [-b buffer-name] [-t target-pane]"),
  T("pipe-pane","pipep","IOot:",0,1,"[-IOo] [-t target-pane] [command]"),
  T("previous-layout","prevl","t:",0,0,"[-t target-window]"),
  T("previous-window","prev","at:",0,0,"[-a] [-t target-session]"),
  T("refresh-client","refresh","C:St:",0,0,"[-S] [-C size] [-t target-client]"),
  T("rename-session","rename","t:",1,1,"[-t target-session] new-name"),
  T("rename-window","renamew","t:",1,1,"[-t target-window] new-name"),
  T("resize-pane","resizep","DLMRt:Ux:y:Z",0,1,"[-DLMRUZ] [-x width] [-y height] [-t target-pane] [adjustment]"),
  T("respawn-pane","respawnp","c:kt:",0,-1,"[-c start-directory] [-k] [-t target-pane] [command]"),
  T("respawn-window","respawnw","c:kt:",0,-1,"[-c start-directory] [-k] [-t target-window] [command]"),
  T("rotate-window","rotatew","Dt:U",0,0,"[-DU] [-t target-window]"),
  T("run-shell","run","bt:",1,1,"[-b] [-t target-pane] shell-command"),
  T("save-buffer","saveb","ab:",1,1,"[-a] [-b buffer-name] path"),
  T("select-layout","selectl","Enopt:",0,1,"[-Enop] [-t target-pane] [layout-name]"),
  T("select-pane","selectp","DdegLlMmP:RT:t:U",0,0,"[-DdegLlMmRU] [-P style] [-T title] [-t target-pane]"),
  T("select-window","selectw","lnpTt:",0,0,"[-lnpT] [-t target-window]"),
  T("send-keys","send","lXRMN:t:",0,-1,"[-lXRM] [-N repeat-count] [-t target-pane] key ..."),
  T("send-prefix",null,"2t:",0,0,"[-2] [-t target-pane]"),
  T("set-buffer","setb","ab:n:",0,1,"[-a] [-b buffer-name] [-n new-buffer-name] data"),
  T("set-environment","setenv","grt:u",1,2,"[-gru] [-t target-session] name [value]"),
  T("set-hook",null,"gt:u",1,2,"[-gu] [-t target-session] hook-name [command]"),
  T("set-option","set","aFgoqst:uw",1,2,"[-aFgosquw] [-t target-window] option [value]"),
  T("set-window-option","setw","aFgoqt:u",1,2,"[-aFgoqu] [-t target-window] option [value]"),
  T("show-buffer","showb","b:",0,0,"[-b buffer-name]"),
  T("show-environment","showenv","gst:",0,1,"[-gs] [-t target-session] [name]"),
  T("show-hooks",null,"gt:",0,1,"[-g] [-t target-session]"),
  T("show-messages","showmsgs","JTt:",0,0,"[-JT] [-t target-client]"),
  T("show-options","show","gqst:vw",0,1,"[-gqsvw] [-t target-session|target-window] [option]"),
  T("show-window-options","showw","gvt:",0,1,"[-gv] [-t target-window] [option]"),
  T("source-file","source","q",1,1,"[-q] path"),
  T("split-window","splitw","bc:dfF:l:hp:Pt:v",0,-1,"[-bdfhvP] [-c start-directory] [-F format] [-p percentage|-l size] [-t target-pane] [command]"),
  T("start-server","start","",0,0,""),
  T("suspend-client","suspendc","t:",0,0,"[-t target-client]"),
  T("swap-pane","swapp","dDs:t:U",0,0,"[-dDU] [-s src-pane] [-t dst-pane]"),
  T("swap-window","swapw","ds:t:",0,0,"[-d] [-s src-window] [-t dst-window]"),
  T("switch-client","switchc","lc:Enpt:rT:",0,0,"[-Elnpr] [-c target-client] [-t target-session] [-T key-table]"),
  T("unbind-key","unbind","anT:",0,1,"[-an] [-T key-table] key"),
  T("unlink-window","unlinkw","kt:",0,0,"[-k] [-t target-window]"),
  T("wait-for","wait","LSU",1,1,"[-L|-S|-U] channel"),
];
