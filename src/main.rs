//! The `oxtile` command: run the window manager, check a config, talk to a running
//! instance, or open a nested Xephyr session. See `oxtile --help`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use oxtile::ipc::{self, client};
use oxtile::wm::{self, Exit, StartOptions, WmError};
use oxtile::x11::XError;

/// A tiling window manager for X11, configured in Lua.
#[derive(Parser)]
#[command(name = "oxtile", version, about)]
struct Cli {
    /// Config file (default: $XDG_CONFIG_HOME/oxtile/config.lua, else the built-in one).
    #[arg(short, long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run as the window manager on $DISPLAY (the default).
    Start,
    /// Load and validate a config: exit 0, or 1 with FILE:LINE: message lines.
    Check {
        /// The file (default: the one oxtile would load).
        file: Option<PathBuf>,
    },
    /// Talk to the running oxtile over its socket (`oxtile cmd windows`).
    ///
    /// Queries: windows, groups, screens, layout, focused, errors, stats, widgets, sync.
    ///
    /// Actions: focus ID, kill [ID], to-group NAME, move-to-group NAME, next-layout,
    /// prev-layout, set-layout NAME, spawn CMD, clock-zone [NAME] ZONE, reload, restart,
    /// quit, action JSON.
    ///
    /// Lua: eval CODE runs CODE in the window manager and prints what it returns.
    Cmd {
        /// Print the answer as JSON.
        #[arg(long)]
        json: bool,
        /// The command and its arguments.
        #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
        words: Vec<String>,
    },
    /// Open a nested Xephyr window and run oxtile inside it.
    Xephyr {
        /// Size of the nested screen.
        #[arg(long, default_value = "1280x800")]
        screen: String,
    },
    /// Print a shell completion script, e.g. `oxtile completions bash >
    /// ~/.local/share/bash-completion/completions/oxtile`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Write the man pages (oxtile.1 and one per command) into DIR; used when packaging.
    #[command(hide = true)]
    Man {
        /// The directory to write into (created if missing).
        dir: PathBuf,
    },
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Start) {
        Command::Start => {
            init_logging();
            start(cli.config)
        }
        Command::Check { file } => check(file.or(cli.config)),
        Command::Cmd { json, words } => {
            // `--json` may also come after the command words (`oxtile cmd windows --json`).
            let json = json || words.iter().any(|w| w == "--json");
            let words: Vec<String> = words.into_iter().filter(|w| w != "--json").collect();
            cmd(json, &words)
        }
        Command::Xephyr { screen } => {
            init_logging();
            xephyr(cli.config, &screen)
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "oxtile", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Man { dir } => match man_pages(&dir) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("oxtile man: {}: {e}", dir.display());
                ExitCode::FAILURE
            }
        },
    }
}

/// The sections of oxtile(1) that clap does not know: files, environment, exit status.
const MAN_EXTRA: &str = r#".SH FILES
.TP
\fI$XDG_CONFIG_HOME/oxtile/config.lua\fR (default \fI~/.config/oxtile/config.lua\fR)
The user's config. Without it, the first \fIoxtile/config.lua\fR in \fI$XDG_CONFIG_DIRS\fR
(default \fI/etc/xdg\fR), else the built\-in default.
.TP
\fI/etc/xdg/oxtile/config.lua\fR
The default config as packaged; copy it to \fI~/.config/oxtile/\fR to change it.
.TP
\fI/usr/share/oxtile/oxtile.lua\fR
LuaLS annotations of the \fBoxtile\fR Lua module, for completion in editors.
.TP
\fI$XDG_RUNTIME_DIR/oxtile/DISPLAY.sock\fR
The socket \fBoxtile cmd\fR talks to (mode 0600).
.TP
\fI/usr/share/xsessions/oxtile.desktop\fR
The session entry display managers offer.
.SH ENVIRONMENT
.TP
\fBDISPLAY\fR
The X display to manage, and the instance \fBoxtile cmd\fR talks to.
.TP
\fBTERMINAL\fR
The terminal \fBoxtile.terminal\fR names (mod4+Return in the default config).
.TP
\fBRUST_LOG\fR
Log filter, e.g. \fBdebug\fR or \fBoxtile=debug\fR (default \fBinfo\fR). The log goes to
standard error.
.SH EXIT STATUS
0 on success. \fBoxtile check\fR exits 1 when the config has problems, each printed as
FILE:LINE: message. \fBoxtile cmd\fR exits 1 when oxtile refuses or cannot be reached, 2
when the command is not understood.
.SH EXAMPLES
.TP
\fBoxtile check ~/.config/oxtile/config.lua\fR
Validate a config before reloading it.
.TP
\fBoxtile cmd windows\fR
List the managed windows.
.TP
\fBoxtile cmd eval 'return #oxtile.clients()'\fR
Run Lua inside the running window manager.
"#;

/// Write oxtile.1 and a page per visible command (oxtile-check.1, ...) into `dir`.
fn man_pages(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let source = format!("oxtile {}", env!("CARGO_PKG_VERSION"));
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let page = sub
            .clone()
            .display_name(format!("oxtile-{}", sub.get_name()));
        clap_mangen::Man::new(page)
            .source(&source)
            .generate_to(dir)?;
    }
    // clap's sections, with ours before VERSION. Each rendered part starts with the same
    // two-line roff preamble; it is kept once.
    let man = clap_mangen::Man::new(cmd);
    type Render = fn(&clap_mangen::Man, &mut dyn std::io::Write) -> std::io::Result<()>;
    let parts: [Render; 7] = [
        clap_mangen::Man::render_title,
        clap_mangen::Man::render_name_section,
        clap_mangen::Man::render_synopsis_section,
        clap_mangen::Man::render_description_section,
        clap_mangen::Man::render_options_section,
        clap_mangen::Man::render_subcommands_section,
        clap_mangen::Man::render_version_section,
    ];
    let mut page = String::new();
    let mut preamble = String::new();
    for (i, render) in parts.iter().enumerate() {
        if i + 1 == parts.len() {
            page.push_str(MAN_EXTRA);
        }
        let mut part = Vec::new();
        render(&man, &mut part)?;
        let part = String::from_utf8_lossy(&part).into_owned();
        if i == 0 {
            preamble = part.lines().take(2).map(|l| format!("{l}\n")).collect();
            page.push_str(&part);
        } else {
            page.push_str(part.strip_prefix(preamble.as_str()).unwrap_or(&part));
        }
    }
    std::fs::write(dir.join(man.get_filename()), page)
}

fn start(config: Option<PathBuf>) -> ExitCode {
    match wm::run(StartOptions {
        config: config.clone(),
    }) {
        Ok(Exit::Quit) => ExitCode::SUCCESS,
        Ok(Exit::Restart) => {
            use std::os::unix::process::CommandExt;
            let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("oxtile"));
            let mut cmd = std::process::Command::new(exe);
            if let Some(c) = config {
                cmd.arg("-c").arg(c);
            }
            let err = cmd.arg("start").exec();
            eprintln!("oxtile: restart failed: {err}");
            ExitCode::FAILURE
        }
        Err(WmError::X(XError::AnotherWm)) => {
            eprintln!("oxtile: another window manager is running");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("oxtile: {e}");
            ExitCode::FAILURE
        }
    }
}

fn check(file: Option<PathBuf>) -> ExitCode {
    let Some(path) = file.or_else(oxtile::paths::config_file) else {
        println!("no config file found; oxtile would use its built-in default");
        return ExitCode::SUCCESS;
    };
    let problems = oxtile::lua::check(&path);
    if problems.is_empty() {
        println!("{}: OK", path.display());
        ExitCode::SUCCESS
    } else {
        for p in problems {
            eprintln!("{p}");
        }
        ExitCode::FAILURE
    }
}

fn cmd(as_json: bool, words: &[String]) -> ExitCode {
    let request = match client::request_from_args(words) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("oxtile cmd: {e}");
            return ExitCode::from(2);
        }
    };
    let display = std::env::var("DISPLAY").unwrap_or_default();
    if display.is_empty() {
        eprintln!("oxtile cmd: DISPLAY is not set");
        return ExitCode::FAILURE;
    }
    let socket = oxtile::paths::socket_path(&display);
    match client::send(&socket, &request) {
        Ok(ipc::Response {
            ok: true, result, ..
        }) => {
            if as_json {
                println!("{result}");
            } else {
                let text = client::to_text(&request, &result);
                if !text.is_empty() {
                    println!("{text}");
                }
            }
            ExitCode::SUCCESS
        }
        Ok(ipc::Response { error, .. }) => {
            eprintln!("oxtile cmd: {}", error.unwrap_or_else(|| "failed".into()));
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("oxtile cmd: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Start Xephyr on a free display (it tells us which through -displayfd), then run oxtile
/// inside it until Xephyr's window is closed or oxtile quits.
fn xephyr(config: Option<PathBuf>, screen: &str) -> ExitCode {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let (mut reader, writer) = match std::io::pipe() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("oxtile xephyr: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The pipe is close-on-exec; Xephyr must inherit its write end.
    if let Err(e) = rustix::io::fcntl_setfd(&writer, rustix::io::FdFlags::empty()) {
        eprintln!("oxtile xephyr: {e}");
        return ExitCode::FAILURE;
    }
    let fd = {
        use std::os::fd::AsRawFd;
        writer.as_raw_fd()
    };
    let server = Command::new("Xephyr")
        .args([
            "-screen",
            screen,
            "-resizeable",
            "-nolisten",
            "tcp",
            "-displayfd",
        ])
        .arg(fd.to_string())
        .stdout(Stdio::null())
        .spawn();
    let mut server = match server {
        Ok(s) => s,
        Err(e) => {
            eprintln!("oxtile xephyr: cannot start Xephyr ({e}); install xserver-xephyr");
            return ExitCode::FAILURE;
        }
    };
    drop(writer);
    let mut number = String::new();
    let mut byte = [0u8; 1];
    while let Ok(1) = reader.read(&mut byte) {
        if byte[0] == b'\n' {
            break;
        }
        number.push(byte[0] as char);
    }
    if number.trim().is_empty() {
        eprintln!("oxtile xephyr: Xephyr did not start");
        let _ = server.kill();
        return ExitCode::FAILURE;
    }
    let display = format!(":{}", number.trim());
    println!("oxtile: nested X server on DISPLAY={display}");
    std::env::set_var("DISPLAY", &display);
    let code = start(config);
    let _ = server.kill();
    let _ = server.wait();
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visible_commands() -> Vec<String> {
        Cli::command()
            .get_subcommands()
            .filter(|s| !s.is_hide_set())
            .map(|s| s.get_name().to_string())
            .collect()
    }

    #[test]
    fn man_pages_are_written_for_oxtile_and_each_command() {
        let dir = tempfile::tempdir().unwrap();
        man_pages(dir.path()).unwrap();
        let main = std::fs::read_to_string(dir.path().join("oxtile.1")).unwrap();
        assert!(main.contains("\n.TH oxtile 1 "), "{main}");
        assert_eq!(main.matches(".TH ").count(), 1, "{main}");
        assert_eq!(main.matches(".ds Aq").count(), 2, "one preamble: {main}");
        for section in ["SYNOPSIS", "OPTIONS", "FILES", "ENVIRONMENT", "EXIT STATUS"] {
            assert!(main.contains(&format!(".SH {section}")), "no {section}");
        }
        let commands = visible_commands();
        assert!(commands.len() >= 5, "{commands:?}");
        assert!(!commands.contains(&"man".to_string()), "man is hidden");
        for name in &commands {
            assert!(
                main.contains(&format!("oxtile\\-{name}(1)")),
                "{name} not listed"
            );
            let page = std::fs::read_to_string(dir.path().join(format!("oxtile-{name}.1")))
                .unwrap_or_else(|e| panic!("oxtile-{name}.1: {e}"));
            assert!(page.contains(&format!("oxtile {name}")), "{page}");
        }
        let files = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(files, commands.len() + 1);
    }

    #[test]
    fn the_cmd_page_lists_every_ipc_command() {
        let cmd = Cli::command();
        let about = cmd
            .find_subcommand("cmd")
            .and_then(|c| c.get_long_about())
            .map(|a| a.to_string())
            .unwrap_or_default();
        let words: Vec<&str> = about
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .collect();
        for command in ipc::client::COMMANDS {
            assert!(
                words.contains(command),
                "`oxtile cmd --help` lacks {command}"
            );
            let parsed = client::request_from_args(&[command.to_string(), "1".to_string()]);
            assert!(
                !parsed
                    .as_ref()
                    .is_err_and(|e| e.contains("unknown command")),
                "{command}: {parsed:?}"
            );
        }
    }

    #[test]
    fn the_cli_page_has_a_section_per_command() {
        let page = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/cli.md");
        let page = std::fs::read_to_string(page).unwrap();
        let headings: Vec<&str> = page.lines().filter(|l| l.starts_with("## `")).collect();
        for name in visible_commands() {
            let heading = format!("## `oxtile {name}`");
            assert!(
                headings.contains(&heading.as_str()),
                "docs/cli.md lacks {heading}"
            );
        }
        assert_eq!(headings.len(), visible_commands().len(), "{headings:?}");
    }

    #[test]
    fn completions_offer_every_command_in_bash_zsh_and_fish() {
        use clap_complete::Shell;
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "oxtile", &mut script);
            let script = String::from_utf8(script).unwrap();
            for name in visible_commands() {
                assert!(script.contains(&name), "{shell}: no {name}");
            }
            assert!(script.contains("config"), "{shell}");
        }
    }
}
