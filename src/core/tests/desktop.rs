//! The desktop: rules, scratchpads, minimizing, the rest of `_NET_WM_STATE`, stacking
//! layers, showing the desktop, pagers changing the number of desktops, dragging with the
//! pointer, screen actions, partial struts and what a restart keeps. Same helpers as the
//! rest of the core tests; every input goes through `check_invariants`.

use super::*;
use crate::core::drag::DragKind;
use crate::core::rules::{Geometry, Length, Match, Rule};
use crate::core::scratchpad::ScratchpadSpec;

fn class(c: &str) -> ClientInfo {
    ClientInfo {
        class: c.into(),
        instance: c.to_lowercase(),
        title: format!("{c} window"),
        ..Default::default()
    }
}

fn by_class(c: &str) -> Match {
    Match {
        class: vec![c.into()],
        ..Default::default()
    }
}

fn states(f: impl FnOnce(&mut NetStates)) -> NetStates {
    let mut s = NetStates::default();
    f(&mut s);
    s
}

fn set_state(s: &mut State, w: WindowId, change: StateChange, f: impl FnOnce(&mut NetStates)) {
    input(
        s,
        Input::WmStateRequest {
            window: w,
            change,
            states: states(f),
        },
    );
}

fn with_config(f: impl FnOnce(&mut Config)) -> Config {
    let mut c = config();
    f(&mut c);
    c
}

// ----- rules ---------------------------------------------------------------------------

#[test]
fn rules_send_windows_to_their_group_floating_at_their_geometry() {
    let cfg = with_config(|c| {
        c.rules = vec![Rule {
            matcher: by_class("Gimp"),
            group: Some("3".into()),
            float: Some(true),
            geometry: Some(Geometry {
                x: Some(Length::Pixels(10)),
                y: Some(Length::Fraction(0.25)),
                width: Some(Length::Fraction(0.5)),
                height: Some(Length::Pixels(300)),
            }),
            ..Default::default()
        }];
    });
    let mut s = State::new(&cfg, &[SCREEN]);
    map(&mut s, 1, normal());
    let fx = map(&mut s, 2, class("Gimp"));
    assert_eq!(group_of(&s, 2), "3");
    assert!(s.clients[&2].floating);
    assert_eq!(s.clients[&2].float_rect, Rect::new(10, 200, 500, 300));
    // It does not pull the user to group 3, nor take the focus from group 1.
    assert_eq!(current(&s), "1");
    assert_eq!(s.focused(), Some(1));
    assert!(hooks(&fx).contains(&HookEvent::ClientNew(2)));
    act(&mut s, to_group("3"));
    assert_eq!(rect(&s, 2), Rect::new(10, 200, 500, 300));
    assert_eq!(s.focused(), Some(2));
    // Other windows are not affected.
    map(&mut s, 3, class("XTerm"));
    assert_eq!(group_of(&s, 3), "3");
    assert!(!s.clients[&3].floating);
}

#[test]
fn rules_pick_a_screen_keep_the_focus_and_make_fullscreen() {
    let cfg = with_config(|c| {
        c.rules = vec![
            Rule {
                matcher: Match {
                    title: vec!["^Player".into()],
                    ..Default::default()
                },
                screen: Some(1),
                fullscreen: Some(true),
                ..Default::default()
            },
            Rule {
                matcher: by_class("Pidgin"),
                focus: Some(false),
                ..Default::default()
            },
            // A later rule overrides: dialogs of this app tile.
            Rule {
                matcher: Match {
                    class: vec!["Tiler".into()],
                    window_type: vec![WindowType::Dialog],
                    ..Default::default()
                },
                float: Some(false),
                ..Default::default()
            },
        ];
    });
    let mut s = State::new(&cfg, &[LEFT, RIGHT]);
    map(&mut s, 1, normal());
    let mut player = normal();
    player.title = "Player - movie".into();
    map(&mut s, 2, player);
    assert_eq!(s.clients[&2].group, s.screens[1].group);
    assert!(s.clients[&2].fullscreen);
    assert_eq!(rect(&s, 2), RIGHT);
    click(&mut s, 1);
    map(&mut s, 3, class("Pidgin"));
    assert_eq!(s.focused(), Some(1), "focus = false keeps the focus");
    assert!(visible(&s, 3));
    assert_eq!(windows_of(&s, "1"), vec![1, 3]);
    let mut dialog = class("Tiler");
    dialog.window_type = WindowType::Dialog;
    map(&mut s, 4, dialog);
    assert!(!s.clients[&4].floating);
}

#[test]
fn rules_naming_a_group_that_does_not_exist_are_ignored() {
    let cfg = with_config(|c| {
        c.rules = vec![Rule {
            matcher: Match::default(),
            group: Some("nope".into()),
            screen: Some(9),
            ..Default::default()
        }];
    });
    let mut s = State::new(&cfg, &[SCREEN]);
    map(&mut s, 1, normal());
    assert_eq!(group_of(&s, 1), "1");
}

#[test]
fn focus_match_and_kill_match_find_windows_by_their_properties() {
    let mut s = state();
    map(&mut s, 1, class("Firefox"));
    map(&mut s, 2, class("XTerm"));
    act(&mut s, move_to("4"));
    map(&mut s, 3, class("XTerm"));
    act(
        &mut s,
        Action::FocusMatch {
            matcher: by_class("^Fire"),
        },
    );
    assert_eq!(s.focused(), Some(1));
    // The first match in managed order: 2, on group 4 (switched to).
    act(
        &mut s,
        Action::FocusMatch {
            matcher: by_class("XTerm"),
        },
    );
    assert_eq!((current(&s), s.focused()), ("4", Some(2)));
    // The focused window first when it matches.
    act(&mut s, to_group("1"));
    click(&mut s, 3);
    act(
        &mut s,
        Action::FocusMatch {
            matcher: by_class("XTerm"),
        },
    );
    assert_eq!(s.focused(), Some(3));
    let fx = act(
        &mut s,
        Action::KillMatch {
            matcher: by_class("XTerm"),
        },
    );
    let closed: Vec<WindowId> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::Close { window, .. } => Some(*window),
            _ => None,
        })
        .collect();
    assert_eq!(closed, vec![2, 3]);
}

// ----- scratchpads -----------------------------------------------------------------------

fn scratch_config(hide: bool) -> Config {
    with_config(|c| {
        let mut sp = ScratchpadSpec::new("term", "xterm -class scratch");
        sp.matcher = Some(Match {
            instance: vec!["^scratch$".into()],
            ..Default::default()
        });
        sp.geometry = Geometry::fractions(0.1, 0.1, 0.8, 0.5);
        sp.on_focus_lost_hide = hide;
        c.scratchpads = vec![sp];
    })
}

fn scratch_window() -> ClientInfo {
    ClientInfo {
        class: "XTerm".into(),
        instance: "scratch".into(),
        ..Default::default()
    }
}

fn toggle(s: &mut State) -> Vec<Effect> {
    act(
        s,
        Action::ToggleScratchpad {
            name: "term".into(),
        },
    )
}

#[test]
fn a_scratchpad_is_spawned_on_first_use_then_shown_and_hidden() {
    let mut s = State::new(&scratch_config(false), &[SCREEN]);
    map(&mut s, 1, normal());
    let fx = toggle(&mut s);
    assert_eq!(
        fx,
        vec![Effect::Spawn {
            cmd: "xterm -class scratch".into()
        }]
    );
    // A window that does not match is not taken.
    map(&mut s, 2, class("Other"));
    assert!(!s.clients[&2].floating);
    assert_eq!(s.scratchpads[0].window, None);
    map(&mut s, 3, scratch_window());
    assert_eq!(s.scratchpads[0].window, Some(3));
    assert!(s.clients[&3].floating && s.clients[&3].above);
    assert_eq!(rect(&s, 3), Rect::new(100, 80, 800, 400));
    assert_eq!(s.focused(), Some(3));
    assert_eq!(s.snapshot().stack.last(), Some(&3));
    // Hide: minimized, unmapped, the focus goes back.
    let fx = toggle(&mut s);
    assert!(!fx.iter().any(|e| matches!(e, Effect::Spawn { .. })));
    assert!(!visible(&s, 3));
    assert!(s.clients[&3].minimized);
    assert_eq!(s.focused(), Some(2));
    // Show again on another group: it comes along.
    act(&mut s, to_group("5"));
    toggle(&mut s);
    assert_eq!(group_of(&s, 3), "5");
    assert!(visible(&s, 3));
    assert_eq!(s.focused(), Some(3));
    // Closing it: the next toggle starts the program again.
    input(&mut s, Input::Destroyed { window: 3 });
    assert_eq!(s.scratchpads[0].window, None);
    assert!(matches!(toggle(&mut s).as_slice(), [Effect::Spawn { .. }]));
}

#[test]
fn a_scratchpad_hides_when_it_loses_the_focus() {
    let mut s = State::new(&scratch_config(true), &[SCREEN]);
    map_all(&mut s, [1, 2]);
    toggle(&mut s);
    map(&mut s, 3, scratch_window());
    assert_eq!(s.focused(), Some(3));
    click(&mut s, 1);
    assert!(!visible(&s, 3), "hidden once another window has the focus");
    assert_eq!(s.focused(), Some(1));
    toggle(&mut s);
    assert!(visible(&s, 3));
    // Leaving for an empty group does not count as losing the focus to a window.
    act(&mut s, to_group("6"));
    act(&mut s, to_group("1"));
    assert!(visible(&s, 3));
}

#[test]
fn reload_keeps_the_scratchpad_window() {
    let mut s = State::new(&scratch_config(false), &[SCREEN]);
    toggle(&mut s);
    map(&mut s, 3, scratch_window());
    s.apply_config(&scratch_config(true));
    assert_eq!(s.scratchpads[0].window, Some(3));
    assert!(s.scratchpads[0].spec.on_focus_lost_hide);
    toggle(&mut s);
    assert!(!visible(&s, 3));
}

// ----- minimizing and _NET_WM_STATE --------------------------------------------------------

#[test]
fn iconified_windows_hide_until_activated() {
    let mut s = state();
    map_all(&mut s, [1, 2, 3]);
    let fx = input(&mut s, Input::Iconify { window: 3 });
    assert!(hooks(&fx).contains(&HookEvent::ClientFocus(2)));
    assert!(!visible(&s, 3));
    assert!(s.snapshot().windows[&3].states.hidden);
    assert_eq!(s.focused(), Some(2));
    // The layout has two windows now; focus cycling skips the hidden one.
    assert_eq!(rect(&s, 1), Rect::new(0, 0, 500, 800));
    act(&mut s, Action::FocusNext);
    act(&mut s, Action::FocusNext);
    assert_eq!(s.focused(), Some(2));
    // Clicks and pointer crossings cannot reach it.
    click(&mut s, 3);
    assert_eq!(s.focused(), Some(2));
    input(
        &mut s,
        Input::Activate {
            window: 3,
            pager: true,
        },
    );
    assert!(visible(&s, 3));
    assert_eq!(s.focused(), Some(3));
    // The minimize action, and _NET_WM_STATE_HIDDEN, do the same.
    act(&mut s, Action::Minimize);
    assert!(!visible(&s, 3));
    set_state(&mut s, 3, StateChange::Remove, |st| st.hidden = true);
    assert!(visible(&s, 3));
    set_state(&mut s, 3, StateChange::Toggle, |st| st.hidden = true);
    assert!(!visible(&s, 3));
    // A client mapping its minimized window again wants it back.
    map(&mut s, 3, normal());
    assert!(visible(&s, 3));
    assert_eq!(s.focused(), Some(3));
}

#[test]
fn minimizing_the_last_window_leaves_no_focus_and_windows_may_start_minimized() {
    let mut s = state();
    map(&mut s, 1, normal());
    input(&mut s, Input::Iconify { window: 1 });
    assert_eq!(s.focused(), None);
    assert_eq!(s.snapshot().focus, None);
    let mut hidden = normal();
    hidden.states.hidden = true;
    map(&mut s, 2, hidden);
    assert!(!visible(&s, 2));
    assert_eq!(s.focused(), None);
}

#[test]
fn maximized_windows_span_the_work_area_and_restore_their_geometry() {
    let mut s = state();
    map(&mut s, 50, dock(top_strut(20)));
    map(&mut s, 1, normal());
    map(&mut s, 2, typed(WindowType::Dialog));
    let before = rect(&s, 2);
    set_state(&mut s, 2, StateChange::Add, |st| st.maximized_vert = true);
    assert_eq!(rect(&s, 2), Rect::new(before.x, 20, before.w, 780));
    set_state(&mut s, 2, StateChange::Add, |st| {
        st.maximized_horz = true;
        st.maximized_vert = true;
    });
    assert_eq!(rect(&s, 2), Rect::new(0, 20, 1000, 780));
    set_state(&mut s, 2, StateChange::Remove, |st| {
        st.maximized_horz = true;
        st.maximized_vert = true;
    });
    assert_eq!(rect(&s, 2), before, "the floating geometry comes back");
    // A tiled window maximized floats over the others; un-maximized it tiles again.
    set_state(&mut s, 1, StateChange::Add, |st| {
        st.maximized_horz = true;
        st.maximized_vert = true;
    });
    assert_eq!(rect(&s, 1), Rect::new(0, 20, 1000, 780));
    assert!(s.clients[&1].floats());
    set_state(&mut s, 1, StateChange::Toggle, |st| {
        st.maximized_horz = true;
        st.maximized_vert = true;
    });
    assert!(!s.clients[&1].floats());
    assert_eq!(
        rect(&s, 1),
        Rect::new(0, 20, 1000, 780),
        "alone in the layout"
    );
}

#[test]
fn above_and_below_windows_stack_in_their_layers() {
    let mut s = state();
    map(&mut s, 1, normal());
    map(&mut s, 2, typed(WindowType::Dialog));
    map(&mut s, 3, typed(WindowType::Utility));
    click(&mut s, 2);
    assert_eq!(s.snapshot().stack, vec![1, 3, 2]);
    set_state(&mut s, 3, StateChange::Add, |st| st.above = true);
    assert_eq!(
        s.snapshot().stack,
        vec![1, 2, 3],
        "above stays above the focused"
    );
    set_state(&mut s, 2, StateChange::Add, |st| st.below = true);
    assert_eq!(
        s.snapshot().stack,
        vec![2, 1, 3],
        "below goes under the tiled"
    );
    // Above and below exclude each other.
    set_state(&mut s, 2, StateChange::Add, |st| st.above = true);
    assert!(s.clients[&2].above && !s.clients[&2].below);
    let snap = s.snapshot();
    assert!(snap.windows[&2].states.above && !snap.windows[&2].states.below);
}

#[test]
fn layers_desktop_below_docks_above_normal_fullscreen_and_popups_on_top() {
    let mut s = state();
    map(&mut s, 90, typed(WindowType::Desktop));
    map(&mut s, 50, dock(top_strut(20)));
    map(&mut s, 1, normal());
    map(&mut s, 2, typed(WindowType::Dialog));
    map(&mut s, 60, typed(WindowType::Notification));
    assert_eq!(s.snapshot().x_stack(), vec![90, 1, 2, 50, 60]);
    set_state(&mut s, 2, StateChange::Add, |st| st.above = true);
    assert_eq!(s.snapshot().x_stack(), vec![90, 1, 50, 2, 60]);
    click(&mut s, 1);
    act(&mut s, Action::ToggleFullscreen);
    assert_eq!(s.snapshot().x_stack(), vec![90, 50, 2, 1, 60]);
    // A dialog of the fullscreen window is shown above it.
    map(&mut s, 3, transient(1, 200, 100));
    let x = s.snapshot().x_stack();
    let pos = |w| x.iter().position(|&v| v == w).unwrap();
    assert!(pos(3) > pos(1), "{x:?}");
    assert!(pos(50) < pos(1), "docks below fullscreen: {x:?}");
    // The diff restacks with the whole order.
    let fx = diff(&Snapshot::default(), &s.snapshot());
    assert!(fx.contains(&Effect::Restack(x.clone())));
}

#[test]
fn sticky_windows_stay_on_their_screen_across_group_switches() {
    let mut s = state();
    map(&mut s, 1, normal());
    map(&mut s, 2, typed(WindowType::Utility));
    set_state(&mut s, 2, StateChange::Add, |st| st.sticky = true);
    assert_eq!(s.snapshot().windows[&2].desktop, 0xffff_ffff);
    act(&mut s, to_group("2"));
    assert_eq!(group_of(&s, 2), "2");
    assert!(visible(&s, 2) && !visible(&s, 1));
    act(&mut s, to_group("1"));
    assert_eq!(windows_of(&s, "1"), vec![1, 2]);
    // _NET_WM_DESKTOP 0xFFFFFFFF makes a window sticky, a real desktop unsticks it.
    input(
        &mut s,
        Input::WmDesktopRequest {
            window: 1,
            desktop: 0xffff_ffff,
        },
    );
    assert!(s.clients[&1].sticky);
    input(
        &mut s,
        Input::WmDesktopRequest {
            window: 2,
            desktop: 4,
        },
    );
    assert!(!s.clients[&2].sticky);
    assert_eq!(group_of(&s, 2), "5");
}

#[test]
fn skip_taskbar_and_skip_pager_are_kept_and_published() {
    let mut s = state();
    let mut info = normal();
    info.states.skip_pager = true;
    map(&mut s, 1, info);
    set_state(&mut s, 1, StateChange::Add, |st| st.skip_taskbar = true);
    let v = s.snapshot().windows[&1];
    assert!(v.states.skip_taskbar && v.states.skip_pager);
    let old = s.snapshot();
    set_state(&mut s, 1, StateChange::Remove, |st| st.skip_taskbar = true);
    let fx = diff(&old, &s.snapshot());
    assert_eq!(
        fx,
        vec![Effect::NetWmState {
            window: 1,
            states: states(|st| st.skip_pager = true)
        }]
    );
}

#[test]
fn activation_from_a_pager_always_focuses_from_an_application_only_if_allowed() {
    let mut s = State::new(&config_with(|st| st.focus_on_activate = false), &[SCREEN]);
    map_all(&mut s, [1, 2]);
    act(&mut s, to_group("3"));
    input(
        &mut s,
        Input::Activate {
            window: 1,
            pager: false,
        },
    );
    assert_eq!(current(&s), "3");
    assert!(s.clients[&1].urgent);
    input(
        &mut s,
        Input::Activate {
            window: 1,
            pager: true,
        },
    );
    assert_eq!(current(&s), "1");
    assert_eq!(s.focused(), Some(1));
    assert!(!s.clients[&1].urgent);
}

// ----- showing the desktop and the number of desktops ---------------------------------------

#[test]
fn showing_the_desktop_hides_every_window_until_left() {
    let mut s = two_screens();
    map(&mut s, 1, normal());
    s.focused_screen = 1;
    map(&mut s, 2, normal());
    input(&mut s, Input::ShowingDesktop { show: true });
    assert!(!visible(&s, 1) && !visible(&s, 2));
    assert_eq!(s.focused(), None);
    let snap = s.snapshot();
    assert!(snap.showing_desktop && snap.stack.is_empty());
    input(&mut s, Input::ShowingDesktop { show: false });
    assert!(visible(&s, 1) && visible(&s, 2));
    assert_eq!(s.focused(), Some(2));
    // Activating a window (or a new one) leaves the mode.
    input(&mut s, Input::ShowingDesktop { show: true });
    input(
        &mut s,
        Input::Activate {
            window: 1,
            pager: true,
        },
    );
    assert!(!s.showing_desktop && visible(&s, 2));
    assert_eq!(s.focused(), Some(1));
    input(&mut s, Input::ShowingDesktop { show: true });
    map(&mut s, 3, normal());
    assert!(!s.showing_desktop);
    assert_eq!(s.focused(), Some(3));
}

#[test]
fn pagers_change_the_number_of_desktops() {
    let mut s = State::new(&config_groups(&["a", "b", "c"]), &[SCREEN]);
    map(&mut s, 1, normal());
    act(&mut s, to_group("c"));
    map(&mut s, 3, normal());
    act(&mut s, to_group("b"));
    map(&mut s, 2, normal());
    input(&mut s, Input::DesktopCountRequest { count: 5 });
    let names: Vec<&str> = s.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c", "4", "5"]);
    assert_eq!(s.snapshot().desktops.len(), 5);
    // Shrinking: windows of removed desktops go to the last one left.
    input(&mut s, Input::DesktopCountRequest { count: 2 });
    assert_eq!(s.groups.len(), 2);
    assert_eq!(windows_of(&s, "b"), vec![2, 3]);
    assert_eq!(current(&s), "b");
    assert_eq!(s.focused(), Some(2));
    // Never below one.
    input(&mut s, Input::DesktopCountRequest { count: 0 });
    assert_eq!(s.groups.len(), 1);
    assert_eq!(windows_of(&s, "a"), vec![1, 2, 3]);
    input(&mut s, Input::DesktopCountRequest { count: 100_000 });
    assert_eq!(s.groups.len(), crate::core::state::MAX_GROUPS);
}

#[test]
fn root_properties_follow_work_areas_and_desktop_size() {
    let mut s = two_screens();
    let first = diff(&Snapshot::default(), &s.snapshot());
    assert!(first.contains(&Effect::DesktopGeometry {
        width: 2000,
        height: 800
    }));
    assert!(first.contains(&Effect::ShowingDesktop(false)));
    let old = s.snapshot();
    map(&mut s, 50, dock(top_strut(20)));
    let fx = diff(&old, &s.snapshot());
    let Some(Effect::WorkArea(areas)) = fx.iter().find(|e| matches!(e, Effect::WorkArea(_))) else {
        panic!("no work area in {fx:?}");
    };
    assert_eq!(areas.len(), 9);
    assert_eq!(areas[0], Rect::new(0, 20, 1000, 780), "group 1 on the left");
    assert_eq!(
        areas[1],
        Rect::new(1000, 20, 1000, 780),
        "group 2 on the right"
    );
    assert_eq!(areas[5], areas[0], "hidden groups: the focused screen's");
}

#[test]
fn frame_extents_and_allowed_actions() {
    let mut s = State::new(&config_with(|st| st.border_width = 3), &[SCREEN]);
    assert_eq!(
        input(&mut s, Input::FrameExtentsRequest { window: 77 }),
        vec![Effect::FrameExtents {
            window: 77,
            border: 3
        }]
    );
    let mut fixed = normal();
    fixed.size_hints = SizeHints {
        min: Some((100, 100)),
        max: Some((100, 100)),
        ..Default::default()
    };
    map(&mut s, 1, fixed);
    map(&mut s, 2, normal());
    let fx = diff(&Snapshot::default(), &s.snapshot());
    assert!(fx.contains(&Effect::FrameExtents {
        window: 2,
        border: 3
    }));
    assert!(fx.contains(&Effect::AllowedActions {
        window: 1,
        resizable: false
    }));
    assert!(fx.contains(&Effect::AllowedActions {
        window: 2,
        resizable: true
    }));
    let old = s.snapshot();
    act(&mut s, Action::ToggleFullscreen);
    assert!(diff(&old, &s.snapshot()).contains(&Effect::FrameExtents {
        window: 2,
        border: 0
    }));
}

// ----- dragging -------------------------------------------------------------------------

#[test]
fn dragging_moves_a_floating_window_with_the_pointer() {
    let mut s = state();
    map(&mut s, 1, normal());
    map(&mut s, 2, typed(WindowType::Dialog));
    let start = rect(&s, 2);
    input(
        &mut s,
        Input::DragStart {
            window: 2,
            kind: DragKind::Move,
            x: 500,
            y: 400,
        },
    );
    input(&mut s, Input::DragMotion { x: 510, y: 390 });
    input(&mut s, Input::DragMotion { x: 600, y: 450 });
    assert_eq!(
        rect(&s, 2),
        Rect::new(start.x + 100, start.y + 50, 200, 100)
    );
    input(&mut s, Input::DragEnd);
    assert_eq!(s.drag, None);
    input(&mut s, Input::DragMotion { x: 0, y: 0 });
    assert_eq!(
        rect(&s, 2),
        Rect::new(start.x + 100, start.y + 50, 200, 100)
    );
    assert_eq!(s.focused(), Some(2));
    // A configure request of the window is answered, and remembered.
    configure(&mut s, 2, req(5, 6, 210, 110));
    assert_eq!(rect(&s, 2), Rect::new(5, 6, 210, 110));
}

#[test]
fn dragging_a_tiled_window_floats_it_and_resizing_respects_its_hints() {
    let mut s = state();
    let mut term = normal();
    term.size_hints = SizeHints {
        inc: Some((10, 20)),
        base: Some((0, 0)),
        min: Some((50, 40)),
        max: None,
    };
    map(&mut s, 1, term);
    map(&mut s, 2, normal());
    let tile = rect(&s, 1);
    input(
        &mut s,
        Input::DragStart {
            window: 1,
            kind: DragKind::Resize,
            x: 100,
            y: 100,
        },
    );
    assert!(s.clients[&1].floating);
    assert_eq!(rect(&s, 2), SCREEN, "the other window takes the screen");
    input(&mut s, Input::DragMotion { x: 45, y: 33 });
    let r = rect(&s, 1);
    assert_eq!((r.x, r.y), (tile.x, tile.y));
    assert_eq!((r.w, r.h), (440, 720), "{r:?}: increments of 10x20");
    input(&mut s, Input::DragMotion { x: -5000, y: -5000 });
    let r = rect(&s, 1);
    assert_eq!((r.w, r.h), (50, 40), "not below the minimum");
    input(&mut s, Input::DragEnd);
    // Fullscreen, hidden and unknown windows are not dragged.
    act(&mut s, Action::ToggleFullscreen);
    input(
        &mut s,
        Input::DragStart {
            window: 1,
            kind: DragKind::Move,
            x: 0,
            y: 0,
        },
    );
    assert_eq!(s.drag, None);
    input(
        &mut s,
        Input::DragStart {
            window: 99,
            kind: DragKind::Move,
            x: 0,
            y: 0,
        },
    );
    assert_eq!(s.drag, None);
}

#[test]
fn a_window_dropped_on_another_screen_joins_its_group() {
    let mut s = two_screens();
    map(&mut s, 1, typed(WindowType::Dialog));
    let r = rect(&s, 1);
    input(
        &mut s,
        Input::DragStart {
            window: 1,
            kind: DragKind::Move,
            x: 500,
            y: 400,
        },
    );
    input(&mut s, Input::DragMotion { x: 1500, y: 400 });
    input(&mut s, Input::DragEnd);
    assert_eq!(group_of(&s, 1), "2");
    assert_eq!(rect(&s, 1), Rect::new(r.x + 1000, r.y, r.w, r.h));
    assert_eq!(s.focused_screen, 1);
    assert_eq!(s.focused(), Some(1));
}

#[test]
fn client_moveresize_requests_grab_the_pointer_and_can_be_cancelled() {
    let mut s = state();
    map(&mut s, 1, typed(WindowType::Dialog));
    let start = rect(&s, 1);
    let fx = input(
        &mut s,
        Input::MoveResizeRequest {
            window: 1,
            x: 100,
            y: 100,
            direction: 8,
        },
    );
    assert!(fx.contains(&Effect::GrabPointer));
    input(&mut s, Input::DragMotion { x: 120, y: 90 });
    assert_eq!(rect(&s, 1), Rect::new(start.x + 20, start.y - 10, 200, 100));
    let fx = input(
        &mut s,
        Input::MoveResizeRequest {
            window: 1,
            x: 0,
            y: 0,
            direction: 11,
        },
    );
    assert!(fx.contains(&Effect::UngrabPointer));
    assert_eq!(s.drag, None);
    // Resizing by the left edge keeps the right edge.
    input(
        &mut s,
        Input::MoveResizeRequest {
            window: 1,
            x: 100,
            y: 100,
            direction: 7,
        },
    );
    input(&mut s, Input::DragMotion { x: 80, y: 100 });
    let r = rect(&s, 1);
    assert_eq!(r.right(), start.right() + 20);
    assert_eq!(r.w, 220);
    let fx = input(&mut s, Input::DragEnd);
    assert!(fx.contains(&Effect::UngrabPointer));
    // Keyboard moves are not supported: nothing starts.
    assert!(input(
        &mut s,
        Input::MoveResizeRequest {
            window: 1,
            x: 0,
            y: 0,
            direction: 10
        }
    )
    .is_empty());
}

#[test]
fn a_dragged_window_that_goes_away_ends_the_drag() {
    let mut s = state();
    map(&mut s, 1, typed(WindowType::Dialog));
    input(
        &mut s,
        Input::MoveResizeRequest {
            window: 1,
            x: 0,
            y: 0,
            direction: 8,
        },
    );
    let fx = input(&mut s, Input::Destroyed { window: 1 });
    assert!(fx.contains(&Effect::UngrabPointer));
    assert_eq!(s.drag, None);
}

// ----- screens ----------------------------------------------------------------------------

#[test]
fn screen_actions_focus_screens_and_move_windows_between_them() {
    let mut s = two_screens();
    map_all(&mut s, [1, 2]);
    act(&mut s, Action::NextScreen);
    assert_eq!(s.focused_screen, 1);
    assert_eq!(s.focused(), None, "screen 2 shows the empty group 2");
    act(&mut s, Action::NextScreen);
    assert_eq!(s.focused_screen, 0);
    assert_eq!(s.focused(), Some(2));
    act(&mut s, Action::PrevScreen);
    assert_eq!(s.focused_screen, 1);
    act(&mut s, Action::ToScreen { screen: 0 });
    assert_eq!(s.focused_screen, 0);
    act(&mut s, Action::ToScreen { screen: 7 });
    assert_eq!(s.focused_screen, 0);
    // Moving the focused window to the other screen: the focus stays here.
    act(&mut s, Action::MoveToNextScreen);
    assert_eq!(group_of(&s, 2), "2");
    assert_eq!(rect(&s, 2), RIGHT);
    assert_eq!(s.focused_screen, 0);
    assert_eq!(s.focused(), Some(1));
    act(&mut s, Action::MoveToScreen { screen: 1 });
    assert_eq!(windows_of(&s, "2"), vec![2, 1]);
    assert_eq!(s.focused(), None);
    act(&mut s, Action::ToScreen { screen: 1 });
    act(&mut s, Action::MoveToPrevScreen);
    assert_eq!(windows_of(&s, "1"), vec![1]);
}

#[test]
fn floating_windows_follow_their_group_to_another_screen() {
    let mut s = two_screens();
    map(&mut s, 1, typed(WindowType::Dialog));
    let r = rect(&s, 1);
    assert!(LEFT.contains_rect(&r));
    // Group 1 is shown on the right screen: swap.
    act(&mut s, Action::ToScreen { screen: 1 });
    act(&mut s, to_group("1"));
    assert_eq!(s.screens[1].group, 0);
    assert_eq!(rect(&s, 1), Rect::new(r.x + 1000, r.y, r.w, r.h));
    // Toggling floating off and on keeps the geometry it had.
    click(&mut s, 1);
    act(&mut s, Action::ToggleFloating);
    act(&mut s, Action::ToggleFloating);
    assert_eq!(rect(&s, 1), Rect::new(r.x + 1000, r.y, r.w, r.h));
    // Hidden and shown again: the same.
    act(&mut s, to_group("5"));
    act(&mut s, to_group("1"));
    assert_eq!(rect(&s, 1), Rect::new(r.x + 1000, r.y, r.w, r.h));
}

#[test]
fn partial_struts_take_room_from_the_screens_they_cover_only() {
    let mut s = two_screens();
    // A bar on the right screen only: top strut over x 1000..=1999.
    let mut bar = dock(top_strut(30));
    bar.strut = Some(DockStrut {
        strut: top_strut(30),
        left: (0, 0),
        right: (0, 0),
        top: (1000, 1999),
        bottom: (0, 0),
    });
    map(&mut s, 50, bar);
    assert_eq!(s.work_area(0), LEFT);
    assert_eq!(s.work_area(1), Rect::new(1000, 30, 1000, 770));
    // A left strut over the lower half of the left screen's height.
    input(
        &mut s,
        Input::StrutChanged {
            window: 50,
            strut: Some(DockStrut {
                strut: Strut {
                    left: 40,
                    ..Default::default()
                },
                left: (400, 799),
                ..Default::default()
            }),
        },
    );
    assert_eq!(s.work_area(0), Rect::new(40, 0, 960, 800));
    assert_eq!(s.work_area(1), RIGHT);
    // Stacked monitors: a bottom strut only covers the lower one.
    let mut v = State::new(
        &config(),
        &[Rect::new(0, 0, 1000, 800), Rect::new(0, 800, 1000, 800)],
    );
    map(
        &mut v,
        50,
        dock(Strut {
            bottom: 25,
            ..Default::default()
        }),
    );
    assert_eq!(v.work_area(0), Rect::new(0, 0, 1000, 800));
    assert_eq!(v.work_area(1), Rect::new(0, 800, 1000, 775));
}

// ----- restart ----------------------------------------------------------------------------

#[test]
fn a_restart_keeps_groups_order_floating_geometry_and_focus() {
    let cfg = scratch_config(false);
    let mut s = State::new(&cfg, &[LEFT, RIGHT]);
    map_all(&mut s, [1, 2, 3]);
    act(&mut s, move_to("3"));
    map(&mut s, 4, typed(WindowType::Dialog));
    configure(&mut s, 4, req(123, 45, 300, 200));
    act(&mut s, Action::ShuffleUp);
    act(&mut s, Action::ToScreen { screen: 1 });
    map_all(&mut s, [5, 6]);
    click(&mut s, 5);
    act(&mut s, Action::NextLayout);
    toggle(&mut s);
    map(&mut s, 7, scratch_window());
    toggle(&mut s);
    input(&mut s, Input::Iconify { window: 6 });
    act(&mut s, Action::ToScreen { screen: 0 });
    click(&mut s, 1);
    let saved = s.save(42);
    let json = serde_json::to_string(&saved).unwrap();
    let saved: crate::core::persist::Saved = serde_json::from_str(&json).unwrap();
    assert_eq!(saved.pid, 42);

    // The new process adopts the windows in the server's stacking order, with what their
    // properties say (the group from _NET_WM_DESKTOP, the hidden state).
    let mut r = State::new(&cfg, &[LEFT, RIGHT]);
    for w in [7, 6, 5, 4, 3, 2, 1] {
        let c = &s.clients[&w];
        let mut info = c.info.clone();
        info.desktop = Some(c.group as u32);
        info.states.hidden = c.minimized;
        map(&mut r, w, info);
    }
    r.restore(&saved);
    check_invariants(&r);
    for g in 0..s.groups.len() {
        assert_eq!(r.groups[g].windows, s.groups[g].windows, "group {g} order");
        assert_eq!(
            r.groups[g].focus_stack, s.groups[g].focus_stack,
            "group {g} focus"
        );
        assert_eq!(
            r.groups[g].current_layout().name(),
            s.groups[g].current_layout().name()
        );
    }
    assert_eq!(r.focused(), s.focused());
    assert_eq!(r.focused_screen, s.focused_screen);
    assert_eq!(r.managed_order, s.managed_order);
    for (w, c) in &s.clients {
        let d = &r.clients[w];
        assert_eq!(
            (d.group, d.floating, d.float_rect, d.minimized),
            (c.group, c.floating, c.float_rect, c.minimized),
            "window {w}"
        );
    }
    assert_eq!(r.scratchpads[0].window, Some(7));
    assert_eq!(r.snapshot(), s.snapshot());
    // Windows that are gone and groups that no longer exist are skipped.
    let mut fewer = State::new(&config_groups(&["1", "2"]), &[SCREEN]);
    map(&mut fewer, 2, normal());
    map(&mut fewer, 99, normal());
    fewer.restore(&saved);
    check_invariants(&fewer);
    assert!(fewer.clients.contains_key(&99));
}
