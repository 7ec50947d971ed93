// `import.meta.hot` as Vite declares it, for type checking the page client only;
// nothing is emitted from this file.
/// <reference types="vite/client" />
