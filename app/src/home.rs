//! The home page: the paste box first, the answer under it, then the latest
//! bulletins and the official channels in short.

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
    view! {
        <Layout>
            <h1>{td_string!(locale, check.page_heading)}</h1>
            <CheckBox locale posted=posted_answer()/>
            <OfficialChannels/>
            <MostChecked/>
            <LatestBulletins/>
        </Layout>
    }
}

/// On the server: the answer to the form POST being rendered, if any.
fn posted_answer() -> Option<Result<crate::lookup::CheckAnswer, crate::lookup::CheckFailure>> {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::lookup::PostedCheck>().map(|p| p.0)
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}
