// What the page's script finds in the browser besides the DOM: uPlot, loaded before it as a plain script.
declare const uPlot: any;
