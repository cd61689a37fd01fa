//! Every atom oxtile uses, interned in one round trip at startup (x11rb's `atom_manager!`).

/// x11rb's `atom_manager!`, plus `numbered(first)`: a table whose atoms are `first`,
/// `first + 1`, … in order. Only a server interns real atoms; tests and the fuzzing bodies
/// ([`crate::fuzzing`]) need distinct stand-ins for every one.
macro_rules! atom_table {
    {
        $(#[$meta:meta])*
        $vis:vis $name:ident: $cookie:ident {
            $($field:ident$(: $value:expr)?,)*
        }
    } => {
        x11rb::atom_manager! {
            $(#[$meta])*
            $vis $name: $cookie {
                $($field$(: $value)?,)*
            }
        }

        impl $name {
            /// Every atom numbered in declaration order from `first` (distinct stand-ins
            /// for tests and fuzzing; a server's atoms come from [`Self::new`]).
            #[doc(hidden)]
            pub fn numbered(first: u32) -> Self {
                let mut next = first;
                let mut number = || {
                    next += 1;
                    next - 1
                };
                $name {
                    $($field: number(),)*
                }
            }
        }
    };
}
pub(crate) use atom_table;

atom_table! {
    /// The atom table.
    pub Atoms: AtomsCookie {
        WM_PROTOCOLS,
        WM_DELETE_WINDOW,
        WM_TAKE_FOCUS,
        WM_STATE,
        WM_CHANGE_STATE,
        WM_WINDOW_ROLE,
        UTF8_STRING,
        CLIPBOARD,
        TARGETS,
        TEXT,
        TIMESTAMP,
        KDE_PASSWORD_HINT: b"x-kde-passwordManagerHint",
        _NET_SUPPORTED,
        _NET_SUPPORTING_WM_CHECK,
        _NET_WM_NAME,
        _NET_CLIENT_LIST,
        _NET_CLIENT_LIST_STACKING,
        _NET_ACTIVE_WINDOW,
        _NET_NUMBER_OF_DESKTOPS,
        _NET_CURRENT_DESKTOP,
        _NET_DESKTOP_NAMES,
        _NET_DESKTOP_VIEWPORT,
        _NET_DESKTOP_GEOMETRY,
        _NET_WORKAREA,
        _NET_WM_DESKTOP,
        _NET_WM_STATE,
        _NET_WM_STATE_FULLSCREEN,
        _NET_WM_STATE_DEMANDS_ATTENTION,
        _NET_WM_STATE_MAXIMIZED_VERT,
        _NET_WM_STATE_MAXIMIZED_HORZ,
        _NET_WM_STATE_ABOVE,
        _NET_WM_STATE_BELOW,
        _NET_WM_STATE_STICKY,
        _NET_WM_STATE_HIDDEN,
        _NET_WM_STATE_SKIP_TASKBAR,
        _NET_WM_STATE_SKIP_PAGER,
        _NET_WM_ALLOWED_ACTIONS,
        _NET_WM_ACTION_MOVE,
        _NET_WM_ACTION_RESIZE,
        _NET_WM_ACTION_MINIMIZE,
        _NET_WM_ACTION_STICK,
        _NET_WM_ACTION_MAXIMIZE_HORZ,
        _NET_WM_ACTION_MAXIMIZE_VERT,
        _NET_WM_ACTION_FULLSCREEN,
        _NET_WM_ACTION_CHANGE_DESKTOP,
        _NET_WM_ACTION_CLOSE,
        _NET_WM_ACTION_ABOVE,
        _NET_WM_ACTION_BELOW,
        _NET_SHOWING_DESKTOP,
        _NET_REQUEST_FRAME_EXTENTS,
        _NET_MOVERESIZE_WINDOW,
        _NET_WM_MOVERESIZE,
        _NET_CLOSE_WINDOW,
        _NET_WM_WINDOW_TYPE,
        _NET_WM_WINDOW_TYPE_NORMAL,
        _NET_WM_WINDOW_TYPE_DIALOG,
        _NET_WM_WINDOW_TYPE_UTILITY,
        _NET_WM_WINDOW_TYPE_SPLASH,
        _NET_WM_WINDOW_TYPE_TOOLBAR,
        _NET_WM_WINDOW_TYPE_MENU,
        _NET_WM_WINDOW_TYPE_DROPDOWN_MENU,
        _NET_WM_WINDOW_TYPE_POPUP_MENU,
        _NET_WM_WINDOW_TYPE_TOOLTIP,
        _NET_WM_WINDOW_TYPE_COMBO,
        _NET_WM_WINDOW_TYPE_DND,
        _NET_WM_WINDOW_TYPE_NOTIFICATION,
        _NET_WM_WINDOW_TYPE_DOCK,
        _NET_WM_WINDOW_TYPE_DESKTOP,
        _NET_WM_STRUT,
        _NET_WM_STRUT_PARTIAL,
        _NET_WM_PID,
        _NET_WM_ICON,
        _NET_FRAME_EXTENTS,
        WM_CLIENT_MACHINE,
        _OXTILE_SYNC,
        _NET_WM_WINDOW_OPACITY,
        WM_CLASS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_atoms_are_distinct_and_in_declaration_order() {
        let a = Atoms::numbered(100);
        assert_eq!((a.WM_PROTOCOLS, a.WM_DELETE_WINDOW), (100, 101));
        assert_eq!(a.KDE_PASSWORD_HINT, 111);
        // The last atom of the table: every field got its own number.
        assert_eq!(
            a.WM_CLASS,
            100 + std::mem::size_of::<Atoms>() as u32 / 4 - 1
        );
    }
}
