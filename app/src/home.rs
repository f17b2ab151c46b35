//! The home page: the paste box first, the answer under it, then the official channels
//! in short, the most-checked fakes and the latest bulletins. Everything under the answer
//! comes from memory (the live snapshot), so a slow or stopped database delays nothing.

use leptos::prelude::*;
use leptos_i18n::td_string;

use crate::bulletin::LatestBulletins;
use crate::domain::MostChecked;
use crate::layout::Layout;
use crate::locale::page_locale;
use crate::lookup::CheckBox;
use crate::official::OfficialChannels;

/// `/`: check a link or a message.
#[component]
pub fn HomePage() -> impl IntoView {
    let locale = page_locale();
    let (posted, text) = posted_answer();
    view! {
        <Layout>
            <h1>{td_string!(locale, check.page_heading)}</h1>
            <CheckBox locale posted text/>
            <OfficialChannels/>
            <MostChecked/>
            <LatestBulletins/>
        </Layout>
    }
}

type Outcome = Result<crate::lookup::CheckAnswer, crate::lookup::CheckFailure>;

/// On the server: the answer to the form POST being rendered, if any, and its text.
fn posted_answer() -> (Option<Outcome>, String) {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::lookup::PostedCheck>()
            .map_or((None, String::new()), |p| (Some(p.outcome), p.text))
    }
    #[cfg(not(feature = "ssr"))]
    {
        (None, String::new())
    }
}
