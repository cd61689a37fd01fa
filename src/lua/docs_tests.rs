//! Tests that keep the book, the LuaLS annotations (config/oxtile.lua) and the running
//! `oxtile` module in step: every exported function, setting, hook, modifier, layout option
//! and table field is annotated and documented, and nothing is documented that is not there.
//! Also: every Lua block in docs/ loads, every link in docs/ resolves, the shipped configs pass.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::api::TIMER_FIELDS;
use super::bind::CHORD_FIELDS;
use super::setup::{GROUP_FIELDS, SETTING_NAMES};
use super::*;
use crate::config::mods;
use crate::core::client::ClientInfo;
use crate::core::geometry::Rect;
use crate::core::layout::{self, LAYOUT_NAMES};
use crate::core::{Input, State as CoreState};
use crate::ipc::client::COMMANDS;

/// Pages the table of contents lists before they are written (other work in progress).
const PENDING_PAGES: &[&str] = &["widgets.md", "ewmh.md", "benchmarks.md", "reliability.md"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn set<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> BTreeSet<String> {
    items.into_iter().map(|s| s.as_ref().to_string()).collect()
}

/// What config/oxtile.lua declares.
#[derive(Default)]
struct Annotations {
    /// `oxtile.x` functions and fields (`function oxtile.lazy.kill()`, `oxtile.terminal = `),
    /// and `timer:x` methods.
    names: BTreeSet<String>,
    /// `---@class` name → its `---@field` names.
    classes: BTreeMap<String, Vec<String>>,
    /// `---@alias` name → the quoted strings of its union.
    aliases: BTreeMap<String, Vec<String>>,
    /// `oxtile.layout.<name>` → the class of its `opts` parameter.
    layout_options: BTreeMap<String, String>,
}

fn annotations() -> Annotations {
    let source = read(&root().join("config/oxtile.lua"));
    let mut a = Annotations::default();
    let mut class: Option<String> = None;
    let mut opts_class: Option<String> = None;
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
            .collect()
    };
    for line in source.lines() {
        if let Some(rest) = line.strip_prefix("---@class ") {
            let name = ident(rest);
            a.classes.entry(name.clone()).or_default();
            class = Some(name);
            continue;
        }
        if let Some(rest) = line.strip_prefix("---@field ") {
            let c = class.as_ref().expect("---@field outside a ---@class");
            a.classes.entry(c.clone()).or_default().push(ident(rest));
            continue;
        }
        class = None;
        if let Some(rest) = line.strip_prefix("---@alias ") {
            let (name, union) = rest.split_once(' ').unwrap_or((rest, ""));
            let values = union
                .split('|')
                .filter_map(|v| v.trim().strip_prefix('"')?.strip_suffix('"'))
                .map(str::to_string)
                .collect();
            a.aliases.insert(name.to_string(), values);
        } else if let Some(rest) = line.strip_prefix("---@param opts ") {
            opts_class = Some(ident(rest));
        } else if let Some(rest) = line.strip_prefix("function ") {
            let name = rest.split('(').next().unwrap_or_default();
            if let Some(method) = name.strip_prefix("Timer:") {
                a.names.insert(format!("timer:{method}"));
            } else if name.starts_with("oxtile.") {
                a.names.insert(name.to_string());
                if let (Some(layout), Some(class)) =
                    (name.strip_prefix("oxtile.layout."), opts_class.take())
                {
                    a.layout_options.insert(layout.to_string(), class);
                }
            }
            opts_class = None;
        } else if line.starts_with("oxtile.") && line.contains('=') {
            a.names.insert(ident(line));
        }
    }
    a
}

/// Every `oxtile.*` name the running module has: functions, fields and sub-tables.
fn exported() -> BTreeSet<String> {
    let runtime = LuaRuntime::new().unwrap();
    let names: Vec<String> = runtime
        .lua
        .load(
            r#"
            local names = {}
            local function walk(prefix, t)
                for k, v in pairs(t) do
                    local name = prefix .. "." .. k
                    table.insert(names, name)
                    if type(v) == "table" then walk(name, v) end
                end
            end
            walk("oxtile", oxtile)
            return names
            "#,
        )
        .eval()
        .unwrap();
    set(names)
}

/// One Markdown page, without its fenced code blocks (kept apart).
struct Page {
    name: String,
    /// (line number, text) of the lines outside code blocks.
    lines: Vec<(usize, String)>,
    /// (line number of the fence, info string, code) of each fenced block.
    blocks: Vec<(usize, String, String)>,
}

fn pages() -> Vec<Page> {
    let dir = root().join("docs");
    let mut pages: Vec<Page> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let mut page = Page {
                name,
                lines: Vec::new(),
                blocks: Vec::new(),
            };
            let mut block: Option<(usize, String, String)> = None;
            for (i, line) in read(&path).lines().enumerate() {
                let fence = line.trim_start().strip_prefix("```");
                match (&mut block, fence) {
                    (None, Some(info)) => block = Some((i + 1, info.trim().into(), String::new())),
                    (Some(_), Some(_)) => page.blocks.extend(block.take()),
                    (Some((_, _, code)), None) => {
                        code.push_str(line);
                        code.push('\n');
                    }
                    (None, None) => page.lines.push((i + 1, line.to_string())),
                }
            }
            assert!(block.is_none(), "{}: unclosed code block", page.name);
            page
        })
        .collect();
    pages.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(pages.len() >= 10, "the book has too few pages");
    pages
}

fn page<'a>(pages: &'a [Page], name: &str) -> &'a Page {
    pages
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no docs/{name}"))
}

/// The code spans of a piece of Markdown text.
fn code_spans(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// The API name a code span starts with ("oxtile.key(mods, ...)" → "oxtile.key"), if any.
fn api_name(span: &str) -> Option<String> {
    let name: String = span
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':'))
        .collect();
    let name = name.trim_end_matches('.').to_string();
    (name.starts_with("oxtile.") || name.starts_with("timer:")).then_some(name)
}

fn heading_level(line: &str) -> Option<usize> {
    let level = line.chars().take_while(|c| *c == '#').count();
    (level > 0 && line[level..].starts_with(' ')).then_some(level)
}

fn is_table_row(line: &str) -> bool {
    line.starts_with('|') && !line.starts_with("|---") && !line.starts_with("| ---")
}

/// The first cell of a table row.
fn first_cell(line: &str) -> &str {
    line[1..].split('|').next().unwrap_or_default()
}

/// The names the book documents: the first code span of each heading and table row, where
/// it names an API item.
fn documented(pages: &[Page]) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for p in pages {
        for (n, line) in &p.lines {
            let text = if heading_level(line).is_some() {
                line.as_str()
            } else if is_table_row(line) {
                first_cell(line)
            } else {
                continue;
            };
            if let Some(name) = code_spans(text).first().and_then(|s| api_name(s)) {
                names.insert(name, format!("docs/{}:{n}", p.name));
            }
        }
    }
    names
}

/// The lines of the section headed by `name`, up to the next heading of the same or a
/// higher level (its sub-sections included).
fn section<'a>(page: &'a Page, name: &str) -> Vec<&'a str> {
    let mut level = None;
    let mut lines = Vec::new();
    for (_, line) in &page.lines {
        if let Some(l) = heading_level(line) {
            if level.is_some_and(|open| l <= open) {
                break;
            }
            if level.is_none()
                && code_spans(line)
                    .first()
                    .and_then(|s| api_name(s))
                    .as_deref()
                    == Some(name)
            {
                level = Some(l);
            }
            continue;
        }
        if level.is_some() {
            lines.push(line.as_str());
        }
    }
    assert!(level.is_some(), "docs/{}: no heading for {name}", page.name);
    lines
}

/// The code spans in the first cells of the tables of the section headed by `name`.
fn section_table(page: &Page, name: &str) -> BTreeSet<String> {
    section(page, name)
        .into_iter()
        .filter(|l| is_table_row(l))
        .flat_map(|l| code_spans(first_cell(l)))
        .map(str::to_string)
        .collect()
}

/// The code spans of the section headed by `name` that are plain field names (`work_area`).
fn section_fields(page: &Page, name: &str) -> BTreeSet<String> {
    section(page, name)
        .into_iter()
        .flat_map(code_spans)
        .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(str::to_string)
        .collect()
}

fn assert_same(what: &str, left: (&str, &BTreeSet<String>), right: (&str, &BTreeSet<String>)) {
    let only_left: Vec<_> = left.1.difference(right.1).collect();
    let only_right: Vec<_> = right.1.difference(left.1).collect();
    assert!(
        only_left.is_empty() && only_right.is_empty(),
        "{what}: only in {}: {only_left:?}; only in {}: {only_right:?}",
        left.0,
        right.0
    );
}

#[test]
fn every_exported_function_is_annotated_and_documented() {
    let annotated = annotations();
    let annotated_module: BTreeSet<String> = annotated
        .names
        .iter()
        .filter(|n| n.starts_with("oxtile."))
        .cloned()
        .collect();
    let exported = exported();
    assert!(exported.contains("oxtile.lazy.focus_next"), "{exported:?}");
    assert_same(
        "the oxtile module",
        ("the running module", &exported),
        ("config/oxtile.lua", &annotated_module),
    );
    let documented = documented(&pages());
    let documented_names: BTreeSet<String> = documented.keys().cloned().collect();
    assert_same(
        "the API (headings and first table cells in docs/ naming oxtile.* or timer:*)",
        ("config/oxtile.lua", &annotated.names),
        ("docs/", &documented_names),
    );
}

#[test]
fn annotated_timer_methods_exist() {
    let methods: Vec<String> = annotations()
        .names
        .iter()
        .filter_map(|n| n.strip_prefix("timer:").map(str::to_string))
        .collect();
    assert!(methods.contains(&"stop".to_string()), "{methods:?}");
    let runtime = LuaRuntime::new().unwrap();
    let timer: mlua::AnyUserData = runtime
        .lua
        .load("return oxtile.timer { timeout = 1, callback = function() end }")
        .eval()
        .unwrap();
    for m in methods {
        let f: Value = runtime
            .lua
            .load(format!("local t = ... return t.{m}"))
            .call(timer.clone())
            .unwrap();
        assert!(
            f.is_function(),
            "timer:{m} is annotated but the handle has no such method"
        );
    }
}

#[test]
fn settings_hooks_modifiers_and_fields_agree_in_code_annotations_and_docs() {
    let a = annotations();
    let pages = pages();
    let api = page(&pages, "api.md");
    let class = |name: &str| {
        set(a
            .classes
            .get(name)
            .unwrap_or_else(|| panic!("no class {name}")))
    };
    let alias = |name: &str| {
        set(a
            .aliases
            .get(name)
            .unwrap_or_else(|| panic!("no alias {name}")))
    };
    let hooks = set(Hook::ALL.iter().map(|h| h.name()));
    let modifiers = set(mods::BY_NAME.iter().map(|(n, _)| n));
    let checks: [(&str, BTreeSet<String>, BTreeSet<String>, &str); 6] = [
        (
            "settings",
            set(SETTING_NAMES),
            class("oxtile.Settings"),
            "oxtile.settings",
        ),
        ("hooks", hooks, alias("oxtile.HookName"), "oxtile.hook"),
        (
            "modifiers",
            modifiers,
            alias("oxtile.Modifier"),
            "oxtile.key",
        ),
        (
            "chord fields",
            set(CHORD_FIELDS),
            class("oxtile.ChordSpec"),
            "oxtile.chord",
        ),
        (
            "timer fields",
            set(TIMER_FIELDS),
            class("oxtile.TimerSpec"),
            "oxtile.timer",
        ),
        (
            "group fields",
            set(GROUP_FIELDS),
            class("oxtile.GroupSpec"),
            "oxtile.groups",
        ),
    ];
    for (what, code, annotated, section) in checks {
        assert!(!code.is_empty(), "{what}");
        assert_same(what, ("the code", &code), ("config/oxtile.lua", &annotated));
        let docs = section_table(api, section);
        assert_same(
            what,
            ("the code", &code),
            (&format!("docs/api.md {section}"), &docs),
        );
    }
}

#[test]
fn layout_options_agree_in_code_annotations_and_docs() {
    let a = annotations();
    let pages = pages();
    let api = page(&pages, "api.md");
    let annotated_layouts = set(a.layout_options.keys());
    assert_same(
        "layouts",
        ("LAYOUT_NAMES", &set(LAYOUT_NAMES)),
        ("config/oxtile.lua", &annotated_layouts),
    );
    let mut options_seen = 0;
    for name in LAYOUT_NAMES {
        let code = set(layout::option_names(name).unwrap());
        options_seen += code.len();
        let class = &a.layout_options[*name];
        let annotated = set(a
            .classes
            .get(class)
            .unwrap_or_else(|| panic!("no class {class}")));
        let what = format!("options of layout {name}");
        assert_same(
            &what,
            ("the layout", &code),
            ("config/oxtile.lua", &annotated),
        );
        let docs = section_table(api, &format!("oxtile.layout.{name}"));
        assert_same(&what, ("the layout", &code), ("docs/api.md", &docs));
    }
    assert!(
        options_seen >= 6,
        "layouts read too few options: {options_seen}"
    );
}

#[test]
fn every_lua_block_in_the_docs_loads() {
    let default_config = read(&root().join("config/config.lua"));
    let mut counts = BTreeMap::new();
    for p in pages() {
        for (line, info, code) in &p.blocks {
            let at = format!("docs/{}:{line}", p.name);
            match info.as_str() {
                // A complete config: it must load without a single problem.
                "lua" => {
                    if let Err(problems) = LuaRuntime::load_str(&at, code) {
                        panic!("{at}: the example does not load: {problems:#?}");
                    }
                }
                // Copied from the default config: it must still be there, verbatim.
                "lua excerpt" => assert!(
                    default_config.contains(code.as_str()),
                    "{at}: no longer in config/config.lua:\n{code}"
                ),
                // Part of a config, or API still in progress: it must at least be Lua.
                "lua fragment" => {
                    if let Err(e) = Lua::new().load(code.as_str()).set_name(&at).into_function() {
                        panic!("{at}: not valid Lua: {e}");
                    }
                }
                other if other.starts_with("lua") => panic!("{at}: unknown block kind {other:?}"),
                _ => continue,
            }
            *counts.entry(info.clone()).or_insert(0) += 1;
        }
    }
    assert!(counts.get("lua").is_some_and(|n| *n >= 10), "{counts:?}");
    assert!(
        counts.get("lua excerpt").is_some_and(|n| *n >= 5),
        "{counts:?}"
    );
}

/// GitHub's (and mdBook's) anchor for a heading.
fn slug(heading: &str) -> String {
    heading
        .trim_start_matches('#')
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

#[test]
fn links_in_the_book_resolve_and_the_summary_lists_every_page() {
    let pages = pages();
    let docs = root().join("docs");
    let anchors = |p: &Page| -> BTreeSet<String> {
        p.lines
            .iter()
            .filter(|(_, l)| heading_level(l).is_some())
            .map(|(_, l)| slug(l))
            .collect()
    };
    let mut checked = 0;
    for p in &pages {
        for (n, line) in &p.lines {
            for target in line.split("](").skip(1).filter_map(|s| s.split(')').next()) {
                if target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                let at = format!("docs/{}:{n}", p.name);
                let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
                checked += 1;
                if file.is_empty() {
                    assert!(anchors(p).contains(anchor), "{at}: no heading #{anchor}");
                    continue;
                }
                if PENDING_PAGES.contains(&file) && !docs.join(file).exists() {
                    continue;
                }
                assert!(docs.join(file).exists(), "{at}: {file} does not exist");
                if !anchor.is_empty() {
                    let target = page(&pages, file);
                    assert!(
                        anchors(target).contains(anchor),
                        "{at}: no #{anchor} in {file}"
                    );
                }
            }
        }
    }
    assert!(checked >= 30, "only {checked} links");

    let summary = page(&pages, "SUMMARY.md");
    let listed: BTreeSet<String> = summary
        .lines
        .iter()
        .flat_map(|(_, l)| l.split("](").skip(1).filter_map(|s| s.split(')').next()))
        .map(str::to_string)
        .collect();
    let written: BTreeSet<String> = pages
        .iter()
        .map(|p| p.name.clone())
        .filter(|n| n != "SUMMARY.md")
        .collect();
    let unlisted: Vec<_> = written.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "pages missing from docs/SUMMARY.md: {unlisted:?}"
    );
    for pending in PENDING_PAGES {
        assert!(
            listed.contains(*pending),
            "SUMMARY.md should list {pending}"
        );
    }
}

#[test]
fn every_ipc_command_is_documented_in_the_cli_page() {
    let pages = pages();
    let cli = page(&pages, "cli.md");
    let documented: BTreeSet<String> = cli
        .lines
        .iter()
        .filter(|(_, l)| is_table_row(l))
        .filter_map(|(_, l)| code_spans(first_cell(l)).first().map(|s| s.to_string()))
        .filter_map(|s| {
            Some(
                s.strip_prefix("oxtile cmd ")?
                    .split(' ')
                    .next()?
                    .to_string(),
            )
        })
        .collect();
    assert_same(
        "oxtile cmd commands",
        ("ipc::client::COMMANDS", &set(COMMANDS)),
        ("docs/cli.md", &documented),
    );
}

#[test]
fn the_shipped_default_config_and_examples_pass_check() {
    let mut files = vec![root().join("config/config.lua")];
    for entry in std::fs::read_dir(root().join("config/examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "lua") {
            files.push(path);
        }
    }
    assert!(files.len() >= 3, "{files:?}");
    for file in files {
        assert_eq!(check(&file), Vec::<String>::new(), "{}", file.display());
    }
}

#[test]
fn the_state_tables_have_the_annotated_and_documented_fields() {
    let mut state = CoreState::new(&Config::default(), &[Rect::new(0, 0, 1000, 800)]);
    let info = ClientInfo {
        title: "a window".into(),
        ..Default::default()
    };
    state.handle(Input::MapRequest { window: 7, info });
    let view = state.view();
    let keys = |part: &str| -> BTreeSet<String> {
        let first = &view[part][0];
        set(first
            .as_object()
            .unwrap_or_else(|| panic!("{part}: {view}"))
            .keys())
    };
    let a = annotations();
    let pages = pages();
    let api = page(&pages, "api.md");
    let parts = [
        ("windows", "oxtile.Client", "oxtile.clients"),
        ("groups", "oxtile.Group", "oxtile.current_group"),
        ("screens", "oxtile.Screen", "oxtile.screens"),
    ];
    for (part, class, heading) in parts {
        let fields = keys(part);
        assert!(fields.len() >= 5, "{part}: {fields:?}");
        let annotated = set(a
            .classes
            .get(class)
            .unwrap_or_else(|| panic!("no class {class}")));
        assert_same(
            part,
            ("the state view", &fields),
            ("config/oxtile.lua", &annotated),
        );
        let documented = section_fields(api, heading);
        assert_same(
            part,
            ("the state view", &fields),
            (&format!("docs/api.md {heading}"), &documented),
        );
    }
}
